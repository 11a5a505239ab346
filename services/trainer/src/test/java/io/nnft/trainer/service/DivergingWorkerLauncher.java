package io.nnft.trainer.service;

import io.nnft.trainer.config.TrainerConfig;
import io.nnft.trainer.worker.DivergingTrainingWorker;
import io.nnft.trainer.worker.TrainingWorker;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Test seam: starts {@link DivergingTrainingWorker} (the real worker with NaN batches) instead of
 * {@link TrainingWorker}, same JVM options and class path. An alternative that only a test profile enables
 * ({@code getEnabledAlternatives}), so the other tests and production never see it. A singleton rather than
 * application-scoped: a client proxy would need a no-args constructor, which WorkerLauncher does not have.
 */
@Alternative
@Singleton
public class DivergingWorkerLauncher extends WorkerLauncher {
    @Inject
    public DivergingWorkerLauncher(TrainerConfig config) {
        super(config);
    }

    @Override
    List<String> command(String mainClass, List<String> args) {
        return super.command(mainClass, args).stream()
                .map(a -> a.equals(TrainingWorker.class.getName()) ? DivergingTrainingWorker.class.getName() : a)
                .toList();
    }
}
