package io.nnft.trainer.service;

import io.nnft.trainer.worker.PlanShape;

/**
 * Runs the engine self-check for a plan on the device this node trains on. Production: {@link ChildJvmSelfCheck}
 * (a child JVM like the training worker); tests substitute failing engines here, the service has no flag for it.
 */
public interface EngineSelfCheck {
    /** Never throws for a wrong engine: that is a result with {@code ok == false}. */
    SelfCheckResult check(PlanShape plan) throws InterruptedException;
}
