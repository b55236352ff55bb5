package org.cardiogate.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cardiogate.signal.EventType;
import org.junit.jupiter.api.Test;

class CommandProcessorTest {
    static final String TOKEN = "ward3-secret-token-0123";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    final MqttTopics topics = new MqttTopics("bed-c");
    final List<Command> handled = new ArrayList<>();
    final CommandProcessor processor = new CommandProcessor(topics,
            CommandPolicy.of(Set.of(TOKEN), Set.of(Command.AcknowledgeAlarm.NAME, Command.SetConfig.NAME,
                    Command.StartRecording.NAME)),
            c -> {
                handled.add(c);
                return c instanceof Command.SetConfig s && s.key().equals("alarms.unknownKey")
                        ? CommandHandler.Reply.failed("no such key") : CommandHandler.Reply.ok("done");
            }, CLOCK);

    CommandProcessor.Response send(String name, String json) {
        return processor.process(topics.command(name), json.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(CommandProcessor.Response r) throws Exception {
        return TestSubscriber.JSON.readTree(r.payload());
    }

    @Test
    void carriesOutAValidAlarmAcknowledgeAndEchoesTheCorrelationId() throws Exception {
        CommandProcessor.Response r = send("ack_alarm", """
                {"v":1,"id":"c-1","token":"%s","args":{"stream":"ecg","type":"TACHY","sample":360000,"by":"nurse 4"}}
                """.formatted(TOKEN));
        assertThat(handled).containsExactly(new Command.AcknowledgeAlarm("c-1", "ecg", EventType.TACHY, 360_000, "nurse 4"));
        assertThat(r.topic()).isEqualTo("cardiogate/v1/bed-c/replies");
        JsonNode reply = json(r);
        assertThat(reply.get("id").asText()).isEqualTo("c-1");
        assertThat(reply.get("status").asText()).isEqualTo("ok");
        assertThat(reply.get("command").asText()).isEqualTo("ack_alarm");
        assertThat(reply.get("ts").asText()).isEqualTo("2026-11-21T10:00:00.000Z");
    }

    @Test
    void answersOnTheReplyTopicTheRequestNames() {
        CommandProcessor.Response r = send("start_recording", """
                {"v":1,"id":"c-2","token":"%s","reply_to":"clinic/consoles/7/replies","args":{"label":"night","duration_s":600}}
                """.formatted(TOKEN));
        assertThat(r.topic()).isEqualTo("clinic/consoles/7/replies");
        assertThat(handled).containsExactly(new Command.StartRecording("c-2", null, "night", 600));
    }

    @Test
    void rejectsAMissingOrWrongTokenWithoutCallingTheGateway() throws Exception {
        assertThat(json(send("ack_alarm", "{\"v\":1,\"id\":\"c-3\",\"args\":{}}")).get("message").asText())
                .isEqualTo("unauthorised: token missing");
        CommandProcessor.Response wrong = send("ack_alarm", "{\"v\":1,\"id\":\"c-4\",\"token\":\"guess-guess-guess-1\"}");
        assertThat(json(wrong).get("status").asText()).isEqualTo("rejected");
        assertThat(json(wrong).get("message").asText()).isEqualTo("unauthorised: token not accepted");
        assertThat(new String(wrong.payload(), StandardCharsets.UTF_8)).doesNotContain("guess");
        assertThat(handled).isEmpty();
    }

    @Test
    void rejectsCommandsOutsideTheAllowListAndUnknownOnes() throws Exception {
        assertThat(json(send("stop_recording", "{\"v\":1,\"id\":\"c-5\",\"token\":\"" + TOKEN + "\"}"))
                .get("message").asText()).startsWith("not allowed: command 'stop_recording'");
        assertThat(json(send("reboot", "{\"v\":1,\"id\":\"c-6\",\"token\":\"" + TOKEN + "\"}"))
                .get("message").asText()).startsWith("unknown command 'reboot'");
        assertThat(handled).isEmpty();
    }

    @Test
    void rejectsRequestsThatBreakTheSchemaNamingTheField() throws Exception {
        String t = TOKEN;
        assertThat(reason("ack_alarm", "not json")).startsWith("malformed: not JSON");
        assertThat(reason("ack_alarm", "[1,2]")).isEqualTo("malformed: the payload must be a JSON object");
        assertThat(reason("ack_alarm", "{\"v\":2,\"id\":\"a\",\"token\":\"" + t + "\"}")).isEqualTo("malformed: v must be 1");
        assertThat(reason("ack_alarm", "{\"v\":1,\"token\":\"" + t + "\"}")).startsWith("malformed: id must be");
        assertThat(reason("ack_alarm", "{\"v\":1,\"id\":\"a\",\"token\":\"" + t + "\",\"extra\":1}"))
                .isEqualTo("malformed: unknown field 'extra'");
        assertThat(reason("ack_alarm", "{\"v\":1,\"id\":\"a\",\"token\":\"" + t + "\",\"args\":{\"stream\":\"ecg\",\"type\":\"TACHY\"}}"))
                .isEqualTo("malformed: args.sample must be a non-negative integer");
        assertThat(reason("ack_alarm", "{\"v\":1,\"id\":\"a\",\"token\":\"" + t + "\",\"args\":{\"stream\":\"ecg\",\"type\":\"FIRE\",\"sample\":1}}"))
                .isEqualTo("malformed: args.type 'FIRE' is not an event type");
        assertThat(reason("set_config", "{\"v\":1,\"id\":\"a\",\"token\":\"" + t + "\",\"args\":{\"key\":\"x\",\"value\":1}}"))
                .startsWith("malformed: args.key 'x'");
        assertThat(reason("set_config", "{\"v\":1,\"id\":\"a\",\"token\":\"" + t + "\",\"args\":{\"key\":\"alarms.tachyBpm\",\"value\":[1]}}"))
                .isEqualTo("malformed: args.value must be a string, number or boolean");
        assertThat(reason("start_recording", "{\"v\":1,\"id\":\"a\",\"token\":\"" + t + "\",\"args\":{\"duration_s\":0}}"))
                .isEqualTo("malformed: args.duration_s must be an integer 1..86400");
        assertThat(reason("ack_alarm", "{\"v\":1,\"id\":\"a\",\"token\":\"" + t + "\",\"reply_to\":\"x/#\"}"))
                .startsWith("malformed: reply_to");
        assertThat(handled).isEmpty();
    }

    String reason(String name, String json) throws Exception {
        CommandProcessor.Response r = send(name, json);
        assertThat(r.status()).isEqualTo("rejected");
        return json(r).get("message").asText();
    }

    @Test
    void reportsTheGatewaysRefusalAsFailed() throws Exception {
        CommandProcessor.Response r = send("set_config", """
                {"v":1,"id":"c-7","token":"%s","args":{"key":"alarms.unknownKey","value":3}}""".formatted(TOKEN));
        assertThat(json(r).get("status").asText()).isEqualTo("failed");
        assertThat(json(r).get("message").asText()).isEqualTo("no such key");
        assertThat(handled).containsExactly(new Command.SetConfig("c-7", "alarms.unknownKey", "3"));
    }

    @Test
    void aRedeliveredRequestIsAnsweredAgainButCarriedOutOnce() throws Exception {
        String request = """
                {"v":1,"id":"c-8","token":"%s","args":{"stream":"ecg","type":"BRADY","sample":5}}""".formatted(TOKEN);
        CommandProcessor.Response first = send("ack_alarm", request);
        CommandProcessor.Response again = send("ack_alarm", request);
        assertThat(again.payload()).isEqualTo(first.payload());
        assertThat(handled).hasSize(1);
    }
}
