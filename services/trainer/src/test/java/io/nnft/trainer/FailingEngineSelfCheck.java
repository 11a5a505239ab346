package io.nnft.trainer;

import io.nnft.trainer.service.EngineSelfCheck;
import io.nnft.trainer.service.SelfCheckResult;
import io.nnft.trainer.worker.PlanShape;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * A node whose engine computes wrong conv gradients, as the self-check reports it (what oneDNN did on some cloud VMs).
 * Selected only by {@link TrainerSelfCheckFailsTests}' profile: the service has no switch for it.
 */
@Alternative
@ApplicationScoped
public class FailingEngineSelfCheck implements EngineSelfCheck {
    public static final String VERDICT = "doctor: FAILED encoder stage 0 conv 1→4 k[3, 3, 3] s[1, 1, 1] batch 2 "
            + "∂/∂input off by 3.10e-01 (rel, tolerance 1.0E-4)";

    @Override
    public SelfCheckResult check(PlanShape plan) {
        return new SelfCheckResult(false, VERDICT, 1.5, "forced off (nnft.conv-backward-repair)", false, "cpu()", true);
    }
}
