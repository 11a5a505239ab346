package io.nnft.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Every numeric request field has a bound, and a value past it (or past what the Java record can hold) is a
 * problem naming the field and the bound, never Jackson's "out of range of int" at the root.
 */
class NumericBoundsTest {

    private static final String PLACEHOLDER = "@value@";

    private final EventCodec codec = EventCodec.forProducer("test");

    /**
     * The example request's CloudEvent with {@code field} (a JSON pointer into data) set to the raw JSON
     * {@code value}.
     */
    private byte[] requestWith(String field, String value) {
        FineTuneRequested request =
                EventCodec.decodeData(Examples.of(EventType.FINE_TUNE_REQUESTED), FineTuneRequested.class);
        ObjectNode ce = (ObjectNode) Examples.tree(codec.encode(request));
        int cut = field.lastIndexOf('/');
        ((ObjectNode) ce.get("data").at(field.substring(0, cut))).put(field.substring(cut + 1), PLACEHOLDER);
        // spliced in as text so that 1e12 reaches the codec as a client wrote it
        return ce.toString().replace("\"" + PLACEHOLDER + "\"", value).getBytes(StandardCharsets.UTF_8);
    }

    private InvalidEventException refused(byte[] bytes) {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> codec.decode(bytes));
        assertThat(e).as("decode should refuse %s", new String(bytes, StandardCharsets.UTF_8)).isNotNull();
        return e;
    }

    @Test
    void epochsOfATrillionNameTheFieldAndTheMaximum() {
        InvalidEventException e = refused(requestWith("/budget/epochs", "1e12"));
        assertThat(e.problems()).containsExactly(
                new Problem("/data/budget/epochs", "a number <= 10000", "integer 1000000000000"));
        // what the planner's intake puts into JobFailed.reason and the dead letter's reason header
        assertThat(e.toJobFailed(JobFailed.Stage.PLANNING).orElseThrow().reason())
                .contains("/data/budget/epochs: expected a number <= 10000, found integer 1000000000000");
    }

    @Test
    void iterationsPerEpochOfABillionAreRefused() {
        InvalidEventException e = refused(requestWith("/budget/iterationsPerEpoch", "1e9"));
        assertThat(e.problems()).containsExactly(
                new Problem("/data/budget/iterationsPerEpoch", "a number <= 100000", "integer 1000000000"));
    }

    @Test
    void otherFieldsAreBoundedToo() {
        assertThat(refused(requestWith("/budget/validationIterations", "20000")).problems())
                .containsExactly(
                        new Problem("/data/budget/validationIterations", "a number <= 10000", "integer 20000"));
        assertThat(refused(requestWith("/optimizer/initialLr", "5")).problems())
                .containsExactly(new Problem("/data/optimizer/initialLr", "a number <= 1", "integer 5"));
        assertThat(refused(requestWith("/optimizer/weightDecay", "2.5")).problems())
                .containsExactly(new Problem("/data/optimizer/weightDecay", "a number <= 1", "number 2.5"));
        assertThat(refused(requestWith("/seed", "2147483648")).problems())
                .containsExactly(new Problem("/data/seed", "a number <= 2147483647", "integer 2147483648"));
        assertThat(refused(requestWith("/freeze/schedule/0/warmupEpochs", "1e6")).problems())
                .containsExactly(
                        new Problem("/data/freeze/schedule/0/warmupEpochs", "a number <= 10000", "integer 1000000"));
        assertThat(refused(requestWith("/freeze/schedule/1/lrFactor", "0")).problems())
                .containsExactly(new Problem("/data/freeze/schedule/1/lrFactor", "a number > 0", "integer 0"));
    }

    @Test
    void aNumberTooLargeForADoubleIsStillAProblemAtItsField() {
        InvalidEventException e = refused(requestWith("/optimizer/initialLr", "1e400"));
        assertThat(e.problems()).extracting(Problem::where).containsExactly("/data/optimizer/initialLr");
        assertThat(e.problems().get(0).expected()).contains("finite");
    }

    @Test
    void aBareRequestBodyPointsIntoTheBody() {
        InvalidEventException e = catchThrowableOfType(InvalidEventException.class, () -> EventCodec.decodeData(
                "{\"dataset\":\"datasets/x/\",\"budget\":{\"epochs\":1e12,\"iterationsPerEpoch\":1e9}}"
                        .getBytes(StandardCharsets.UTF_8), FineTuneRequested.class));
        assertThat(e.problems()).containsExactly(
                new Problem("/budget/epochs", "a number <= 10000", "integer 1000000000000"),
                new Problem("/budget/iterationsPerEpoch", "a number <= 100000", "integer 1000000000"));
    }

    @Test
    void aValueTheSchemaAllowsButTheRecordCannotHoldNamesItsField() {
        // TrainingProgress.epoch has no maximum in the schema; the record holds an Integer
        byte[] bytes =
                codec.encode(EventCodec.decodeData(Examples.of(EventType.TRAINING_PROGRESS), TrainingProgress.class));
        String json = new String(bytes, StandardCharsets.UTF_8).replace("\"epoch\":41", "\"epoch\":1e12");
        InvalidEventException e = refused(json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.problems()).hasSize(1);
        Problem p = e.problems().get(0);
        assertThat(p.where()).isEqualTo("/data/epoch");
        assertThat(p.expected()).isEqualTo("an integer from -2147483648 to 2147483647");
        assertThat(p.found()).isEqualTo("integer 1000000000000");
    }
}
