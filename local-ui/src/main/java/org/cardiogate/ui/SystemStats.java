package org.cardiogate.ui;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** CPU and memory of the host and of this process, from the JVM's OperatingSystemMXBean and Runtime. */
final class SystemStats {
    private SystemStats() {
    }

    static ObjectNode read() {
        ObjectNode node = LiveJson.MAPPER.createObjectNode();
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        node.put("processors", os.getAvailableProcessors());
        node.put("loadAverage", os.getSystemLoadAverage());
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            put(node, "cpuLoad", sun.getCpuLoad());
            put(node, "processCpuLoad", sun.getProcessCpuLoad());
            node.put("memoryTotalBytes", sun.getTotalMemorySize());
            node.put("memoryFreeBytes", sun.getFreeMemorySize());
        }
        Runtime rt = Runtime.getRuntime();
        node.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        node.put("heapMaxBytes", rt.maxMemory());
        node.put("uptimeSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
        return node;
    }

    private static void put(ObjectNode node, String field, double fraction) {
        if (fraction >= 0 && Double.isFinite(fraction)) {
            node.put(field, fraction);
        } else {
            node.putNull(field);
        }
    }
}
