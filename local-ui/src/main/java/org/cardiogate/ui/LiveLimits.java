package org.cardiogate.ui;

/**
 * Sizes of the page's queues and histories. When a queue is full, the newest item is dropped and counted; the
 * real-time loop is never held up by the page.
 *
 * @param updateInbox  beats and heart rates waiting for the dispatcher (rounded up to a power of two)
 * @param eventInbox   cardiac events waiting for the dispatcher, kept apart so a flood of beats never drops an alarm
 * @param beatHistory  how many recent beats {@code /api/state} reports
 * @param eventHistory how many recent events {@code /api/state} reports
 * @param clientQueue  messages buffered per live (SSE) client before that client starts losing them
 * @param maxClients   live clients served at once; more are answered 503
 */
public record LiveLimits(int updateInbox, int eventInbox, int beatHistory, int eventHistory, int clientQueue,
                         int maxClients) {

    public static final LiveLimits DEFAULTS = new LiveLimits(1024, 256, 50, 20, 256, 32);

    public LiveLimits {
        positive("updateInbox", updateInbox);
        positive("eventInbox", eventInbox);
        positive("beatHistory", beatHistory);
        positive("eventHistory", eventHistory);
        positive("clientQueue", clientQueue);
        positive("maxClients", maxClients);
        if (updateInbox > (1 << 30) || eventInbox > (1 << 30)) {
            throw new IllegalArgumentException("local-ui limits 'updateInbox' and 'eventInbox' must be at most 2^30, got "
                    + updateInbox + " and " + eventInbox);
        }
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("local-ui limit '" + field + "' must be at least 1, got " + value);
        }
    }
}
