package dev.herd.zinit;

import dev.herd.config.HerdConfig;
import dev.herd.zinit.transport.JsonRpcTransport;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Makes the application's {@link ZinitClient} from {@code herd.zinit.*}. Connecting is lazy: no I/O here. */
public final class ZinitClientProducer {

    @Produces
    @Singleton
    ZinitClient zinitClient(HerdConfig config, MeterRegistry registry) {
        HerdConfig.Zinit z = config.zinit();
        return new MeteredZinitClient(ZinitClients.connect(z.socket(), z.dialect(), z.callTimeout(),
                new JsonRpcTransport.Options(z.connections(), z.maxInFlight(), Duration.ofMillis(50), Duration.ofSeconds(5))), registry);
    }

    void close(@Disposes ZinitClient client) {
        client.close();
    }
}
