package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.embedded.EmbeddedS3;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** When a job nobody claims because their self-checks fail is given up: the decision, and the refusals' ledger. */
class SelfCheckRefusalsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration AFTER = Duration.ofMinutes(10);
    private static final SelfCheckResult FAILED = new SelfCheckResult(false, "doctor: FAILED conv off by 3.1e-01", 3,
            "forced off", false, "cpu()", true);
    private static EmbeddedS3 s3;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start("refusal-test", "refusal-secret-123");
        store = new ObjectStore(StorageSettings.of(s3.endpoint(), "refusal-test", "refusal-secret-123", "nnft-refusals"));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    static SelfCheckRefusals.Refusal refusal(String owner, int afterAttempt, Instant first) {
        return new SelfCheckRefusals.Refusal("job-1", owner, afterAttempt, "doctor: FAILED x", "abc", "3d", first.toString(),
                first.toString());
    }

    @Test
    void givenUpOnlyOnceTheFirstRefusalOfTheUnclaimedJobIsGiveUpAfterOld() {
        List<SelfCheckRefusals.Refusal> rs = List.of(refusal("b", 0, T0.plusSeconds(60)), refusal("a", 0, T0));
        assertThat(SelfCheckRefusals.giveUp(List.of(), 0, T0.plus(AFTER), AFTER)).isEmpty();
        assertThat(SelfCheckRefusals.giveUp(rs, 0, T0.plus(AFTER).minusSeconds(1), AFTER)).isEmpty();
        assertThat(SelfCheckRefusals.giveUp(rs, 0, T0.plus(AFTER), AFTER)).hasValueSatisfying(r ->
                assertThat(r.owner()).isEqualTo("a"));
        // Refusals from before a later claim (the job was trained, then abandoned) do not count: the wait starts afresh.
        assertThat(SelfCheckRefusals.giveUp(rs, 1, T0.plus(AFTER).plusSeconds(3600), AFTER)).isEmpty();
        List<SelfCheckRefusals.Refusal> after = List.of(refusal("a", 0, T0), refusal("b", 1, T0.plusSeconds(7200)));
        assertThat(SelfCheckRefusals.giveUp(after, 1, T0.plusSeconds(7200).plus(AFTER), AFTER)).hasValueSatisfying(r ->
                assertThat(r.owner()).isEqualTo("b"));
    }

    @Test
    void aRepeatedRefusalKeepsItsFirstTimeUntilTheJobIsClaimedAgain() {
        SelfCheckRefusals refusals = new SelfCheckRefusals(store);
        refusals.record("job-2", "node-a", 0, FAILED, "abc", "3d", T0);
        refusals.record("job-2", "node-a", 0, FAILED, "abc", "3d", T0.plusSeconds(120));
        refusals.record("job-2", "node-b", 0, FAILED, "abc", "3d", T0.plusSeconds(30));
        List<SelfCheckRefusals.Refusal> rs = refusals.read("job-2");
        assertThat(rs).extracting(SelfCheckRefusals.Refusal::owner).containsExactlyInAnyOrder("node-a", "node-b");
        SelfCheckRefusals.Refusal a = rs.stream().filter(r -> r.owner().equals("node-a")).findFirst().orElseThrow();
        assertThat(a.firstRefusedAt()).isEqualTo(T0.toString());
        assertThat(a.lastRefusedAt()).isEqualTo(T0.plusSeconds(120).toString());
        assertThat(a.verdict()).isEqualTo(FAILED.verdict());
        assertThat(store.exists("jobs/job-2/selfcheck/node-a.json")).isTrue();

        refusals.record("job-2", "node-a", 1, FAILED, "abc", "3d", T0.plusSeconds(900));
        assertThat(refusals.read("job-2")).filteredOn(r -> r.owner().equals("node-a")).singleElement()
                .satisfies(r -> assertThat(r.firstRefusedAt()).isEqualTo(T0.plusSeconds(900).toString()));
    }
}
