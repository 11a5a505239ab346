package io.nnft.cli;

import io.nnft.network.TrainStepReplay;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code nnft check train-step --reference DIR [--steps N]}: replays nnU-Net training steps recorded in DIR (laid out
 * like shared/fixtures/nnunet-ref/train_step/&lt;key&gt;/). Last line {@code train-step check: OK|FAILED loss <rel>
 * grad-norm <rel> params <abs>}; exit 1 beyond loss 1e-5 (relative) or params 1e-5 (absolute).
 */
@Command(name = "train-step", mixinStandardHelpOptions = true,
        description = "Replay nnU-Net training steps from a reference folder and compare loss, grad norm and parameters.")
public final class CheckTrainStepCommand implements Callable<Integer> {
    @Option(names = "--reference", required = true,
            description = "folder with meta.json, initial.npz, input.npy, target.npy, step<i>.npz")
    Path reference;

    @Option(names = "--steps", defaultValue = "2", description = "steps to replay (default: ${DEFAULT-VALUE})")
    int steps;

    @Override
    public Integer call() throws Exception {
        TrainStepReplay.Report r;
        try {
            r = TrainStepReplay.replay(reference, steps);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        for (TrainStepReplay.Step s : r.steps()) {
            System.out.printf("step %d: loss %.9f (reference %.9f, rel %.2e), grad norm %.9f (reference %.9f, rel %.2e), "
                            + "max |param - reference| %.2e at %s%n", s.step(), s.loss(), s.referenceLoss(), s.lossRel(),
                    s.gradNorm(), s.referenceGradNorm(), s.gradNormRel(), s.maxParamDiff(), s.worstParam());
        }
        System.out.println(r.verdict());
        return r.ok() ? 0 : 1;
    }
}
