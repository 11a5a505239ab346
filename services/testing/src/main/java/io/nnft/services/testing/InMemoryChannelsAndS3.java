package io.nnft.services.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The fast tier ({@code *Tests}): the service's channels switched to SmallRye's in-memory connector, so no broker is
 * started or reached, and a real S3 server ({@link RealS3}) for the engines' objects. Name the service's incoming
 * channels in {@value #INCOMING} (comma-separated); the outgoing ones default to {@code events}, the one channel
 * {@code EventPublisher} sends every event through. Tests publish and read with {@link InMemoryTopics}.
 *
 * <pre>{@code
 * @WithTestResource(value = InMemoryChannelsAndS3.class,
 *         initArgs = @ResourceArg(name = InMemoryChannelsAndS3.INCOMING, value = "fine-tune-requested"))
 * }</pre>
 * or, for a service with many channels, a subclass that names them ({@link #InMemoryChannelsAndS3(String...)}).
 * The {@code %test} profile (services/common) leaves out the Kafka readiness check: there is no broker to check.
 */
public class InMemoryChannelsAndS3 implements QuarkusTestResourceLifecycleManager {
    public static final String INCOMING = "incoming";
    public static final String OUTGOING = "outgoing";

    private final RealS3 s3 = new RealS3();
    private String[] incoming;
    private String[] outgoing = {"events"};

    public InMemoryChannelsAndS3() {
        this(new String[0]);
    }

    /** A resource for a service whose incoming channels are {@code incoming} (initArgs may still override them). */
    protected InMemoryChannelsAndS3(String... incoming) {
        this.incoming = incoming;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        if (initArgs.containsKey(INCOMING)) {
            incoming = channels(initArgs.get(INCOMING));
        }
        if (initArgs.containsKey(OUTGOING)) {
            outgoing = channels(initArgs.get(OUTGOING));
        }
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(s3.start());
        config.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(incoming));
        config.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(outgoing));
        return config;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
        s3.stop();
    }

    private static String[] channels(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}
