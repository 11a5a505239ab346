package io.nnft.trainer.health;

import io.nnft.trainer.service.RunningJob;
import io.nnft.trainer.service.TrainingJobs;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness and liveness of the trainer ({@code /q/health}). Both report the jobs running here with their
 * attempt, epoch and device. Readiness goes DOWN while lease renewals have been failing for longer than the
 * lease TTL (the object store is unreachable: another replica may take the job over). Liveness stays UP then:
 * restarting the pod would kill hours of training for an outage the retries ride out.
 */
public final class TrainerHealth {
    private TrainerHealth() {
    }

    static HealthCheckResponseBuilder report(String name, TrainingJobs jobs) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named(name).up()
                .withData("owner", jobs.ledger().owner())
                .withData("jobsRunning", jobs.running().size())
                .withData("slots", jobs.config().maxJobs());
        for (RunningJob j : jobs.running()) {
            b.withData("job." + j.jobId(), "attempt " + j.claim().attempt() + ", epoch "
                    + (j.epoch() == null ? "-" : j.epoch()) + ", device " + (j.device() == null ? "-" : j.device())
                    + ", lease renewed " + j.lastRenewal());
        }
        return b;
    }

    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        @Inject
        TrainingJobs jobs;

        @Override
        public HealthCheckResponse call() {
            long age = jobs.oldestRenewalAgeSeconds();
            HealthCheckResponseBuilder b = report("trainer-leases", jobs).withData("oldestLeaseRenewalSeconds", age);
            if (age > jobs.config().leaseTtl().toSeconds()) {
                b.down().withData("reason", "lease renewals failing for " + age + " s (TTL "
                        + jobs.config().leaseTtl().toSeconds() + " s): is the object store reachable?");
            }
            return b.build();
        }
    }

    @Liveness
    @ApplicationScoped
    public static class Live implements HealthCheck {
        @Inject
        TrainingJobs jobs;

        @Override
        public HealthCheckResponse call() {
            return report("trainer-jobs", jobs).build();
        }
    }
}
