package io.nnft.services.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records in, records out, as a test sees a service's topics: on a real broker ({@link TopicClient}, the
 * integration tier) or on the service's in-memory channels ({@link InMemoryTopics}, the fast tier). Either way a
 * record is a Kafka {@link ConsumerRecord}, so a test's assertions read the same on both tiers.
 */
public interface Topics extends AutoCloseable {
    /** Publishes {@code value} on {@code topic} under {@code key} (null: no key). */
    default void publish(String topic, String key, byte[] value) {
        publish(new ProducerRecord<>(topic, key, value));
    }

    /** Publishes one record as given (headers included, a null value is a tombstone). */
    void publish(ProducerRecord<String, byte[]> record);

    /**
     * The records on {@code topic} that match, from the beginning, once {@code count} of them are there; fails after
     * {@code timeout} listing what it saw.
     */
    List<ConsumerRecord<String, byte[]>> await(String topic, Predicate<ConsumerRecord<String, byte[]>> match,
                                               int count, Duration timeout);

    /** Every record on {@code topic} that matches, as of this call: an exact count of what has been published. */
    List<ConsumerRecord<String, byte[]>> readAll(String topic, Predicate<ConsumerRecord<String, byte[]>> match);

    @Override
    void close();
}
