package io.nnft.events;

/**
 * Conventions for records sent to {@link EventType#DEAD_LETTER_TOPIC}: the value is the original bytes,
 * unchanged; the key is the job id when one could be read, else the original key; these headers say why.
 */
public final class DeadLetter {

    /** Header: the exception message (every problem as "where: expected X, found Y"). */
    public static final String REASON_HEADER = "nnft-dlq-reason";
    /** Header: the topic the record came from. */
    public static final String SOURCE_TOPIC_HEADER = "nnft-dlq-topic";
    /** Header: the consumer (e.g. /nnft/planner) that refused it. */
    public static final String CONSUMER_HEADER = "nnft-dlq-consumer";

    private DeadLetter() {}
}
