package io.nnft.trainer.worker;

import io.nnft.imageio.NdArray;
import io.nnft.training.StepDecorator;
import io.nnft.training.data.Batch;
import java.util.Arrays;

/**
 * Test main: the real {@link TrainingWorker}, but from epoch 1, iteration 1 on every training batch is NaN, so the
 * real step's loss is NaN and it must skip the step. Started by {@code DivergingWorkerLauncher} in place of the
 * production main; nothing in production code or configuration selects it.
 */
public final class DivergingTrainingWorker {
    public static final int FIRST_NAN_EPOCH = 1;
    public static final int FIRST_NAN_ITERATION = 1;

    private DivergingTrainingWorker() {
    }

    public static void main(String[] args) {
        TrainingWorker.main(args, nanFrom(FIRST_NAN_EPOCH, FIRST_NAN_ITERATION));
    }

    static StepDecorator nanFrom(int epoch, int iteration) {
        return (e, i, b) -> {
            if (e < epoch || (e == epoch && i < iteration)) {
                return b;
            }
            float[] nan = new float[(int) b.data().size()];
            Arrays.fill(nan, Float.NaN);
            return new Batch(b.index(), NdArray.ofFloats(b.data().shape(), nan), b.targets());
        };
    }
}
