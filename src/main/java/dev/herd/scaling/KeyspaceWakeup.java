package dev.herd.scaling;

import dev.herd.jobs.KeyProfile;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Optional fast path from zero: Redis keyspace notifications for list events on the work queues,
 * so a push to a pool at zero wakes the scaler at once instead of at the next idle tick. It adds
 * flags to {@code notify-keyspace-events} (K and l) without removing any already set, and is only
 * a wake-up call: the decision still comes from a full reading, so a lost notification costs one
 * idle tick, never a wrong count. Everything runs on the Redis client's event loop without blocking.
 */
public final class KeyspaceWakeup {
    private static final Logger LOG = Logger.getLogger(KeyspaceWakeup.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final String prefix;
    private final String suffix;
    private final AtomicReference<ReactivePubSubCommands.ReactiveRedisSubscriber> subscriber = new AtomicReference<>();
    private volatile Consumer<String> onPush = pool -> { };

    public KeyspaceWakeup(ReactiveRedisDataSource redis, KeyProfile keys) {
        this.redis = redis;
        String template = keys.workQueue("\u0000");
        int at = template.indexOf('\u0000');
        this.prefix = template.substring(0, at);
        this.suffix = template.substring(at + 1);
    }

    /** Turns notifications on and listens; {@code onPush} gets the queue name (a pool or worker id) of each push. */
    public void start(Consumer<String> onPush) {
        this.onPush = onPush;
        renew();
    }

    /** Sets the flags and subscribes again: after a Redis restart both are gone. */
    public void renew() {
        enableFlags()
                .chain(this::subscribe)
                .subscribe().with(
                        s -> {
                            ReactivePubSubCommands.ReactiveRedisSubscriber old = subscriber.getAndSet(s);
                            if (old != null) {
                                old.unsubscribe().onFailure().recoverWithNull().subscribe().with(x -> { });
                            }
                        },
                        f -> LOG.infof("keyspace notifications unavailable (%s); pools at zero are read every idle tick",
                                QueueReader.describe(f)));
    }

    public void stop() {
        ReactivePubSubCommands.ReactiveRedisSubscriber s = subscriber.getAndSet(null);
        if (s != null) {
            s.unsubscribe().ifNoItem().after(TIMEOUT).fail().onFailure().recoverWithNull().subscribe().with(x -> { });
        }
    }

    private Uni<Void> enableFlags() {
        return redis.execute("CONFIG", "GET", "notify-keyspace-events")
                .ifNoItem().after(TIMEOUT).fail()
                .chain(r -> {
                    String current = configValue(r, "notify-keyspace-events");
                    String next = withListEvents(current);
                    return next.equals(current) ? Uni.createFrom().voidItem()
                            : redis.execute("CONFIG", "SET", "notify-keyspace-events", next).ifNoItem().after(TIMEOUT).fail().replaceWithVoid();
                });
    }

    /** CONFIG GET answers [name, value] over RESP2 and {name: value} over RESP3 (Quarkus's default). */
    static String configValue(io.vertx.mutiny.redis.client.Response reply, String name) {
        if (reply == null) {
            return "";
        }
        if (reply.isMap()) {
            io.vertx.mutiny.redis.client.Response value = reply.get(name);
            return value == null ? "" : value.toString();
        }
        return reply.size() >= 2 ? reply.get(1).toString() : "";
    }

    /** The flags plus keyspace events (K) for list commands (l, or A which includes it). */
    static String withListEvents(String flags) {
        String out = flags;
        if (out.indexOf('K') < 0) {
            out += "K";
        }
        if (out.indexOf('l') < 0 && out.indexOf('A') < 0) {
            out += "l";
        }
        return out;
    }

    private Uni<ReactivePubSubCommands.ReactiveRedisSubscriber> subscribe() {
        String pattern = "__keyspace@*__:" + prefix + "*" + suffix;
        return redis.pubsub(String.class).subscribeToPattern(pattern, (channel, event) -> {
                    if (event.endsWith("push")) { // lpush, rpush, lpushx, rpushx
                        queueOf(channel).ifPresent(onPush);
                    }
                })
                .ifNoItem().after(TIMEOUT).fail();
    }

    private java.util.Optional<String> queueOf(String channel) {
        int at = channel.indexOf("__:");
        String key = at < 0 ? channel : channel.substring(at + 3);
        if (key.startsWith(prefix) && key.endsWith(suffix) && key.length() >= prefix.length() + suffix.length()) {
            return java.util.Optional.of(key.substring(prefix.length(), key.length() - suffix.length()));
        }
        return java.util.Optional.empty();
    }
}
