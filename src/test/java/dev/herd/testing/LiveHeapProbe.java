package dev.herd.testing;

import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Herd's heap in use right after a full collection: what Herd keeps alive, the figure a leak
 * moves. Heap in use between collections is a saw-tooth and resident memory grows while the JVM
 * sizes its heap, so neither tells a leak from warm-up in a short run. Attaches over the JDK's
 * attach API, starts Herd's local JMX agent, asks for {@code System.gc()} and reads the heap's use.
 * Re-attaches when asked about a new Herd process. Every call has a timeout. One thread at a time.
 */
public final class LiveHeapProbe implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 10;
    private long attachedPid = -1;
    private JMXConnector connector;
    private MemoryMXBean memory;

    public OptionalLong liveBytes(long pid) {
        try {
            return OptionalLong.of(CompletableFuture.supplyAsync(() -> measure(pid)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception gone) {
            close();
            return OptionalLong.empty();
        }
    }

    private long measure(long pid) {
        try {
            if (pid != attachedPid) {
                close();
                VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
                String address;
                try {
                    address = vm.startLocalManagementAgent();
                } finally {
                    vm.detach();
                }
                connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
                memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                        ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
                attachedPid = pid;
            }
            memory.gc();
            return memory.getHeapMemoryUsage().getUsed();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read Herd's live heap (pid " + pid + "): " + e, e);
        }
    }

    @Override
    public void close() {
        attachedPid = -1;
        memory = null;
        if (connector != null) {
            try {
                connector.close();
            } catch (Exception ignored) {
                // the Herd process is gone or going: nothing to close
            }
            connector = null;
        }
    }
}
