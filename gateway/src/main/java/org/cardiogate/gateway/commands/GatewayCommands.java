package org.cardiogate.gateway.commands;

import java.util.Map;

import org.cardiogate.gateway.alarms.GatewayAlarms;
import org.cardiogate.gateway.page.PageHooks;
import org.cardiogate.inference.alarm.AlarmView;
import org.cardiogate.mqtt.Command;
import org.cardiogate.mqtt.CommandHandler;
import org.cardiogate.ui.ActionResult;
import org.cardiogate.ui.ConfigResult;
import org.cardiogate.ui.RecordingControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the MQTT commands the bridge has validated and authorised, with the same rules as the local page:
 * configuration changes go through the page's validation (alarm limits live, the rest refused with a reason),
 * alarm acknowledgements through the alarm model, recordings through the recording service. Called on the bridge's
 * command thread. Until the gateway has finished starting, commands are refused with a reason.
 */
public final class GatewayCommands implements CommandHandler {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayCommands.class);

    private volatile PageHooks config;
    private volatile GatewayAlarms alarms;
    private volatile RecordingControl recordings;

    /** Called once the pipeline, alarms and recordings exist. */
    public void ready(PageHooks config, GatewayAlarms alarms, RecordingControl recordings) {
        this.config = config;
        this.alarms = alarms;
        this.recordings = recordings;
    }

    @Override
    public Reply handle(Command command) {
        PageHooks c = config;
        GatewayAlarms a = alarms;
        RecordingControl r = recordings;
        if (c == null || a == null) {
            return Reply.failed("the gateway is still starting; try again in a few seconds");
        }
        Reply reply = switch (command) {
            case Command.SetConfig s -> {
                ConfigResult result = c.apply(Map.of(s.key(), s.value()), "mqtt");
                yield result.applied() ? Reply.ok(s.key() + " set to " + s.value())
                        : Reply.failed(result.errors().isEmpty() ? result.reason()
                                : String.join("; ", result.errors().entrySet().stream()
                                        .map(e -> e.getKey() + ": " + e.getValue()).toList()));
            }
            case Command.AcknowledgeAlarm ack -> {
                String id = ack.streamId() + ":" + ack.type().name() + ":" + ack.sample();
                boolean known = a.alarms().stream().map(AlarmView::id).anyMatch(id::equals);
                if (!known) {
                    yield Reply.failed("no alarm " + id);
                }
                ActionResult done = a.acknowledge(id.replace(':', '.'), ack.by() == null ? "mqtt" : ack.by());
                yield done.accepted() ? Reply.ok("alarm " + id + " acknowledged") : Reply.failed(done.reason());
            }
            case Command.StartRecording start -> {
                if (r == null) {
                    yield Reply.failed("recording is not available on this gateway");
                }
                ActionResult done = r.start(start.label() == null ? "mqtt" : start.label(), "mqtt");
                yield done.accepted() ? Reply.ok("recording " + done.id() + " started") : Reply.failed(done.reason());
            }
            case Command.StopRecording stop -> {
                if (r == null) {
                    yield Reply.failed("recording is not available on this gateway");
                }
                int stopped = 0;
                for (var info : r.list()) {
                    if (info.stopped() == null && r.stop(info.id(), "mqtt").accepted()) {
                        stopped++;
                    }
                }
                yield stopped > 0 ? Reply.ok(stopped + " recording(s) stopped") : Reply.failed("no recording is running");
            }
        };
        LOG.info("MQTT command {} ({}): {}", command.name(), command.correlationId(), reply.ok() ? "done" : reply.message());
        return reply;
    }
}
