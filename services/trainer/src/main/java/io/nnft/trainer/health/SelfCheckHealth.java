package io.nnft.trainer.health;

import io.nnft.trainer.config.TrainerConfig;
import io.nnft.trainer.service.SelfCheckResult;
import io.nnft.trainer.service.SelfChecks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness {@code trainer-selfcheck}: the plan shapes the engine self-check has checked on this node, each with its
 * verdict, time and conv-repair state. DOWN while the most recent check failed: this node trains nothing (it claims no
 * job whose check fails), and an operator sees why without reading logs. Nothing routes work to a trainer through
 * readiness (jobs come from Kafka), so DOWN takes no traffic away.
 */
@Readiness
@ApplicationScoped
public class SelfCheckHealth implements HealthCheck {
    @Inject
    SelfChecks selfChecks;

    @Inject
    TrainerConfig config;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("trainer-selfcheck").up()
                .withData("enabled", config.selfcheck().enabled());
        for (SelfChecks.Checked c : selfChecks.checked()) {
            SelfCheckResult r = c.result();
            b.withData("plan." + c.plan().key(), c.plan().description() + ": " + r.verdict()
                    + String.format(Locale.ROOT, " (%.1f s, %s", r.seconds(), c.at())
                    + (r.repair() == null ? "" : ", conv backward repair: " + r.repair()) + ")");
        }
        selfChecks.last().filter(c -> !c.result().ok()).ifPresent(c -> b.down().withData("reason",
                "the engine self-check for plan " + c.plan().key() + " failed: " + c.result().verdict()
                        + "; this node claims no job of that plan"));
        return b.build();
    }
}
