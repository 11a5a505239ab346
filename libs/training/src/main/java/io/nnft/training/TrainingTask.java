package io.nnft.training;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.checkpoint.NnUNetCheckpoint;
import io.nnft.network.Optimizer;
import io.nnft.network.ParamGroup;
import io.nnft.network.TrainStep;
import io.nnft.training.data.Batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;

/**
 * What differs between fine-tuning tasks; the one epoch loop ({@link Trainer}) does the rest, as nnU-Net's
 * run_training does with its trainer's hooks. A task reads and checks its inputs when it is created, and is
 * called in this order: {@link #prepare}, {@link #createModel}, then {@link #readEpoch} (resume) or
 * {@link #loadPretrained}, {@link #trainBatches}, {@link #startValidation}, per epoch {@link #endEpoch} and the
 * checkpoint hooks, and {@link #finish}. Segmentation: {@link SegmentationTask}; classification lives in
 * libs/classification.
 */
public interface TrainingTask<R extends EpochSummary> extends AutoCloseable {
    LoopSettings settings();

    /** fold_F of the model folder. */
    Path foldDirectory();

    /** Whether to continue from checkpoint_latest.pth. */
    boolean resume();

    List<String> classNames();

    /** Throws, saying why, when checkpoint_latest.pth belongs to another task or other classes. */
    default void checkResumable(NnUNetCheckpoint latest, Path where) {
    }

    /** The seed when neither the checkpoint nor the settings name one; null: drawn at random. */
    Long defaultSeed();

    /** The model folder's own files (plans.json, dataset.json, ...); says what will be trained. */
    void prepare(long seed, TrainingListener listener) throws IOException;

    /** The network on {@code manager} with its optimizer and training objective. */
    Model createModel(NDManager manager) throws IOException;

    /** The network, its optimizer (whose parameter groups the loop schedules), and the objective. */
    record Model(Block network, Optimizer optimizer, TrainStep.Objective objective) {
    }

    /** Starting weights for a run that does not resume (pretrained or fresh); says which. */
    void loadPretrained(TrainingListener listener) throws IOException;

    /** One epoch of training_log.json (and of the copy every checkpoint carries), as the task's record wrote it. */
    R readEpoch(JsonNode epoch);

    /** The epochs of a checkpoint nnft did not write (nnU-Net's, from its logger lists); none by default. */
    default List<R> nnUNetLog(NnUNetCheckpoint checkpoint) {
        return List.of();
    }

    /** Training batch {@code i} of the run's stream (seeded by the run's seed; batch i is the same on a resume). */
    LongFunction<Batch> trainBatches(long seed);

    /** Opens what validation needs, from {@code startEpoch} on. */
    void startValidation(long seed, int startEpoch, NDManager manager);

    /** What the loop measured in one epoch, before validation; {@code groups} are the optimizer's, with this epoch's LR. */
    record EpochStart(int epoch, double trainLoss, List<ParamGroup> groups, double startSeconds,
                      double trainWaitSeconds, int trainableTensors) {
    }

    /** Validates this epoch's network and returns its record (its end time taken last). */
    R endEpoch(EpochStart epoch, List<R> log);

    /** The monitored metric's TrainingProgress name (checkpoint_best, early stopping). */
    String metric();

    /** The monitored value of an epoch; NaN is no score (it neither becomes the best nor blocks a later one). */
    double monitored(R record);

    /** Lower is better (a validation loss). */
    default boolean minimised() {
        return false;
    }

    /** training_log.json's fields before the epochs. */
    ObjectNode logHeader();

    /** The task's part of a checkpoint: weights (nnU-Net's names or its own), trainer name, logger, init_args, extras. */
    void describe(NnUNetCheckpoint checkpoint, List<R> log);

    /**
     * After checkpoint_final of a run that was not cancelled: segmentation's final validation, a classifier's
     * validation predictions.
     *
     * @return nnU-Net's final validation Dice, or null
     */
    Double finish(TrainingListener listener) throws IOException;

    @Override
    void close();
}
