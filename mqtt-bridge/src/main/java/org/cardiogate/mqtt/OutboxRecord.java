package org.cardiogate.mqtt;

/** One message as kept in the outbox: its lane, its position in the lane, and what goes on the wire. */
record OutboxRecord(Lane lane, long index, long seq, int qos, String topic, byte[] payload) {
}
