package io.nnft.services.testing;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * {@link Topics} on the service's in-memory channels ({@link InMemoryChannelsAndS3}). A record published on a topic
 * goes to the incoming channel configured for it ({@code mp.messaging.incoming.<channel>.topic}) carrying the
 * {@link IncomingKafkaRecordMetadata} the Kafka connector would attach (topic, key, headers, partition 0, an offset),
 * so the service reads it exactly as it reads a broker's. What the service sends is read from its outgoing channels'
 * sinks, each message as the Kafka record it would have become (topic and key from its
 * {@link OutgoingKafkaRecordMetadata}), in the order sent.
 */
public final class InMemoryTopics implements Topics {
    private static final String CONNECTOR = "smallrye-in-memory";
    private static final Pattern CONNECTOR_KEY =
            Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.connector");
    private static final Map<String, AtomicLong> OFFSETS = new ConcurrentHashMap<>();

    private final InMemoryConnector connector;
    /** topic → incoming channel. */
    private final Map<String, String> incoming = new TreeMap<>();
    /** outgoing channel → its default topic. */
    private final Map<String, String> outgoing = new TreeMap<>();

    /** {@code connector}: {@code @Inject @Any InMemoryConnector} in the test. */
    public InMemoryTopics(InMemoryConnector connector) {
        this.connector = connector;
        Config config = ConfigProvider.getConfig();
        for (String name : config.getPropertyNames()) {
            Matcher m = CONNECTOR_KEY.matcher(name);
            if (m.matches() && CONNECTOR.equals(config.getOptionalValue(name, String.class).orElse(null))) {
                String direction = m.group(1);
                String channel = m.group(2);
                String topic = config.getOptionalValue("mp.messaging." + direction + "." + channel + ".topic",
                        String.class).orElse(channel);
                if (direction.equals("incoming")) {
                    incoming.put(topic, channel);
                } else {
                    outgoing.put(channel, topic);
                }
            }
        }
    }

    @Override
    public void publish(ProducerRecord<String, byte[]> record) {
        String channel = incoming.get(record.topic());
        if (channel == null) {
            throw new IllegalArgumentException("no in-memory channel reads " + record.topic() + "; expected one of "
                    + incoming.keySet() + " (mp.messaging.incoming.<channel>.topic)");
        }
        long offset = OFFSETS.computeIfAbsent(record.topic(), t -> new AtomicLong()).getAndIncrement();
        Headers headers = new RecordHeaders(record.headers().toArray());
        ConsumerRecord<String, byte[]> consumed = new ConsumerRecord<>(record.topic(), 0, offset,
                System.currentTimeMillis(), TimestampType.CREATE_TIME, size(record.key()), size(record.value()),
                record.key(), record.value(), headers, Optional.empty());
        Message<byte[]> message = Message.of(record.value())
                .addMetadata(new IncomingKafkaRecordMetadata<>(consumed, channel));
        connector.<Message<byte[]>>source(channel).send(message);
    }

    @Override
    public List<ConsumerRecord<String, byte[]>> await(String topic, Predicate<ConsumerRecord<String, byte[]>> match,
                                                      int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ConsumerRecord<String, byte[]>> all;
        do {
            all = sent(topic);
            List<ConsumerRecord<String, byte[]>> matched = all.stream().filter(match).toList();
            if (matched.size() >= count) {
                return matched;
            }
            sleep(20);
        } while (System.nanoTime() < deadline);
        List<String> seen = all.stream()
                .map(r -> r.key() + "=" + (r.value() == null ? "null" : new String(r.value()))).toList();
        throw new AssertionError("expected " + count + " matching records on " + topic + " within " + timeout
                + ", matched " + all.stream().filter(match).count() + "; saw " + seen);
    }

    @Override
    public List<ConsumerRecord<String, byte[]>> readAll(String topic, Predicate<ConsumerRecord<String, byte[]>> match) {
        return sent(topic).stream().filter(match).toList();
    }

    /** What the service has sent to {@code topic} so far, in order. */
    private List<ConsumerRecord<String, byte[]>> sent(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        for (Map.Entry<String, String> channel : outgoing.entrySet()) {
            InMemorySink<Object> sink = connector.sink(channel.getKey());
            long offset = 0;
            for (Message<Object> m : List.copyOf(sink.received())) {
                Optional<OutgoingKafkaRecordMetadata<?>> meta = m.getMetadata(OutgoingKafkaRecordMetadata.class)
                        .map(x -> (OutgoingKafkaRecordMetadata<?>) x);
                String to = meta.map(OutgoingKafkaRecordMetadata::getTopic).orElse(channel.getValue());
                if (!topic.equals(to)) {
                    continue;
                }
                String key = meta.map(x -> x.getKey() == null ? null : x.getKey().toString()).orElse(null);
                Headers headers = meta.map(OutgoingKafkaRecordMetadata::getHeaders).orElseGet(RecordHeaders::new);
                byte[] value = (byte[]) m.getPayload();
                records.add(new ConsumerRecord<>(topic, 0, offset++, ConsumerRecord.NO_TIMESTAMP,
                        TimestampType.NO_TIMESTAMP_TYPE, size(key), size(value), key, value, headers,
                        Optional.empty()));
            }
        }
        return records;
    }

    private static int size(String s) {
        return s == null ? ConsumerRecord.NULL_SIZE : s.length();
    }

    private static int size(byte[] b) {
        return b == null ? ConsumerRecord.NULL_SIZE : b.length;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for records", e);
        }
    }

    /** Nothing to release: the channels belong to the application. */
    @Override
    public void close() {
    }
}
