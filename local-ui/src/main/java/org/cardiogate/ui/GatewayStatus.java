package org.cardiogate.ui;

import java.util.List;
import java.util.Objects;

/**
 * What the gateway reports for the status page ({@code GET /api/status}); CPU and memory are added by the page's
 * server itself.
 *
 * @param sensors               every sensor stream
 * @param mqtt                  the MQTT link
 * @param inferenceProvider     the inference back end in use, e.g. {@code "onnxruntime-cpu"}, or empty
 * @param latencyBudgetOverruns blocks whose sample-to-output latency exceeded the budget, since start
 */
public record GatewayStatus(List<SensorStatus> sensors, MqttStatus mqtt, String inferenceProvider,
                            long latencyBudgetOverruns) {
    public static final GatewayStatus EMPTY = new GatewayStatus(List.of(), MqttStatus.UNKNOWN, "", 0);

    public GatewayStatus {
        sensors = List.copyOf(sensors);
        Objects.requireNonNull(mqtt, "mqtt");
        inferenceProvider = inferenceProvider == null ? "" : inferenceProvider;
    }
}
