package io.nnft.trainer.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.nnft.embedded.EmbeddedS3;
import io.nnft.events.FineTuneRequested;
import io.nnft.events.Fold;
import io.nnft.events.PreprocessingCompleted;
import io.nnft.storage.ObjectStore;
import io.nnft.storage.StorageSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two trainers (distinct owners) on one ledger in a real S3 server: one claim per attempt, leases taken over. */
class JobLedgerTest {
    private static final Duration TTL = Duration.ofSeconds(120);
    private static EmbeddedS3 s3;
    private static ObjectStore store;

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    @BeforeAll
    static void start() {
        s3 = EmbeddedS3.start("ledger-test", "ledger-secret-123");
        store = new ObjectStore(StorageSettings.of(s3.endpoint(), "ledger-test", "ledger-secret-123", "nnft-ledger"));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    static PreprocessingCompleted event(String jobId) {
        String b = "s3://nnft-ledger/";
        FineTuneRequested r = FineTuneRequested.of(b + "datasets/Dataset001_X/").withJobId(jobId).withDefaults();
        r = new FineTuneRequested(r.jobId(), r.task(), r.dataset(), null, null, r.configuration(), Fold.ALL, null,
                r.budget(), r.optimizer(), null, r.freeze(), r.export(), r.classification());
        return new PreprocessingCompleted(jobId, r, b + "jobs/" + jobId + "/plans/nnUNetPlans.json",
                b + "jobs/" + jobId + "/plans/dataset.json", b + "jobs/" + jobId + "/preprocessed/3d_fullres/", null,
                r.configuration(), 3, 100L, 1.0);
    }

    @Test
    void twoOwnersRacingForTheSameAttemptExactlyOneWins() throws Exception {
        TestClock clock = new TestClock();
        JobLedger a = new JobLedger(store, "trainer-a", TTL, clock);
        JobLedger b = new JobLedger(store, "trainer-b", TTL, clock);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 5; i++) {
                String jobId = "race-" + i;
                a.register(event(jobId));
                b.register(event(jobId));
                List<Callable<Optional<Claim>>> both = List.of(() -> a.claimNext(jobId, false),
                        () -> b.claimNext(jobId, false));
                List<Optional<Claim>> results = new ArrayList<>();
                for (Future<Optional<Claim>> f : pool.invokeAll(both)) {
                    results.add(f.get());
                }
                List<Claim> winners = results.stream().flatMap(Optional::stream).toList();
                assertThat(winners).as(jobId).hasSize(1);
                Claim w = winners.get(0);
                assertThat(w.attempt()).isEqualTo(1);
                JobState s = a.read(jobId).orElseThrow();
                assertThat(s.status()).isEqualTo(JobState.Status.RUNNING);
                assertThat(s.owner()).isEqualTo(w.owner());
                assertThat(a.highestClaim(jobId)).isEqualTo(1);
                // While the lease holds, the loser cannot claim, nor can the winner claim what it runs.
                JobLedger loser = w.owner().equals("trainer-a") ? b : a;
                JobLedger winner = loser == a ? b : a;
                assertThat(loser.claimNext(jobId, false)).as("loser after the race, %s", jobId).isEmpty();
                assertThat(winner.claimNext(jobId, true)).isEmpty();
                assertThat(a.highestClaim(jobId)).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldOwnerLearnsItLostTheJob() {
        TestClock clock = new TestClock();
        JobLedger a = new JobLedger(store, "trainer-a", TTL, clock);
        JobLedger b = new JobLedger(store, "trainer-b", TTL, clock);
        String jobId = "lease-1";
        a.register(event(jobId));
        Claim first = a.claimNext(jobId, false).orElseThrow();
        assertThat(first.attempt()).isEqualTo(1);

        clock.advance(TTL.dividedBy(3));
        assertThat(a.renew(first, "s3://nnft-ledger/jobs/lease-1/model/fold_all/checkpoint_latest.pth", 4, "cpu()"))
                .isTrue();
        clock.advance(TTL.minusSeconds(1));
        assertThat(b.claimNext(jobId, false)).as("lease renewed 1 s short of a TTL ago").isEmpty();

        clock.advance(Duration.ofSeconds(2));
        Claim second = b.claimNext(jobId, false).orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.owner()).isEqualTo("trainer-b");
        JobState s = b.read(jobId).orElseThrow();
        assertThat(s.owner()).isEqualTo("trainer-b");
        assertThat(s.attempt()).isEqualTo(2);
        assertThat(s.lastCheckpoint()).endsWith("checkpoint_latest.pth");
        assertThat(s.lastEpoch()).isEqualTo(4);

        // The old owner wakes up: its renewal and its verdict are refused.
        assertThat(a.stillOwner(first)).isFalse();
        assertThat(a.renew(first, null, 5, "cpu()")).isFalse();
        assertThat(a.finish(first, JobState.Status.COMPLETED, null, 1)).isFalse();
        assertThat(b.read(jobId).orElseThrow().status()).isEqualTo(JobState.Status.RUNNING);

        assertThat(b.finish(second, JobState.Status.COMPLETED, null, 10)).isTrue();
        assertThat(b.read(jobId).orElseThrow().status()).isEqualTo(JobState.Status.COMPLETED);
        clock.advance(TTL.multipliedBy(10));
        assertThat(a.claimNext(jobId, false)).as("a finished job is never claimed again").isEmpty();
        assertThat(a.activeJobs()).doesNotContain(jobId);
    }

    @Test
    void aRestartedOwnerWithAStableIdResumesItsJobWithoutWaitingForTheLease() {
        TestClock clock = new TestClock();
        String jobId = "restart-1";
        JobLedger before = new JobLedger(store, "trainer-0", TTL, clock);
        before.register(event(jobId));
        Claim c = before.claimNext(jobId, false).orElseThrow();
        JobLedger after = new JobLedger(store, "trainer-0", TTL, clock);
        JobLedger other = new JobLedger(store, "trainer-1", TTL, clock);
        assertThat(other.claimNext(jobId, false)).isEmpty();
        Claim resumed = after.claimNext(jobId, false).orElseThrow();
        assertThat(resumed.attempt()).isEqualTo(c.attempt() + 1);
        assertThat(after.activeJobs()).contains(jobId);
    }

    @Test
    void registrationKeepsTheFirstEntryAndCancellationIsRecorded() {
        TestClock clock = new TestClock();
        JobLedger a = new JobLedger(store, "trainer-a", TTL, clock);
        JobState first = a.register(event("reg-1"));
        assertThat(first.status()).isEqualTo(JobState.Status.REQUESTED);
        Claim c = a.claimNext("reg-1", false).orElseThrow();
        JobState again = a.register(event("reg-1"));
        assertThat(again.status()).isEqualTo(JobState.Status.RUNNING);
        assertThat(again.attempt()).isEqualTo(c.attempt());
        assertThat(JobLedger.input(again).jobId()).isEqualTo("reg-1");

        assertThat(a.cancelRequest("reg-1")).isEmpty();
        a.requestCancel("reg-1", "wrong dataset");
        assertThat(a.cancelRequest("reg-1")).contains(Optional.of("wrong dataset"));
    }
}
