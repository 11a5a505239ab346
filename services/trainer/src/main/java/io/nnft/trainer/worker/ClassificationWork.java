package io.nnft.trainer.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.dataset.ClassLabels;
import io.nnft.classification.ClassificationEpochRecord;
import io.nnft.classification.ClassificationListener;
import io.nnft.classification.ClassificationResult;
import io.nnft.classification.ClassificationTrainer;
import io.nnft.training.StepDecorator;
import io.nnft.training.TrainingDivergedException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A task=classification attempt inside the worker JVM: libs/classification's trainer on the spec's inputs, with
 * the same protocol as segmentation ({@code epoch} lines after each epoch's checkpoint, one {@code result} or
 * {@code error} at the end) so the service's ledger, leases, cancellation and resume treat both alike. The
 * {@code result} carries the monitored metric ({@code metric}, {@code bestMetric}, {@code bestEpoch}) instead
 * of the EMA pseudo-Dice.
 */
final class ClassificationWork {
    private ClassificationWork() {
    }

    static int run(WorkerSpec spec, String device, Consumer<ObjectNode> emit, Path cancel, StepDecorator faults) {
        try {
            List<String> classNames = ClassLabels.read(Path.of(spec.classification().labelsCsv()), null).classNames();
            ClassificationResult r = ClassificationTrainer.train(spec.classificationInputs(),
                    spec.classificationSettings(), new ClassificationListener() {
                        @Override
                        public void message(String text) {
                            ObjectNode m = WorkerLine.of(WorkerLine.MESSAGE);
                            m.put("text", text);
                            emit.accept(m);
                        }

                        @Override
                        public void epochEnded(ClassificationEpochRecord record, int epochs, double etaSeconds) {
                            ObjectNode e = WorkerLine.of(WorkerLine.EPOCH);
                            e.put("epoch", record.epoch());
                            e.put("epochs", epochs);
                            e.set("metrics", WorkerLine.metrics(ClassificationEpochMetrics.of(record, classNames)));
                            e.put("etaSeconds", Math.max(0, etaSeconds));
                            emit.accept(e);
                        }

                        @Override
                        public boolean cancelRequested() {
                            return cancel != null && Files.exists(cancel);
                        }
                    }, faults);
            ObjectNode res = WorkerLine.of(WorkerLine.RESULT);
            res.put("stopReason", r.stopReason());
            res.put("epochsRun", r.epochsRun());
            res.put("lastEpoch", r.lastEpoch());
            res.put("metric", r.metric().jsonName());
            if (!Double.isNaN(r.bestMetric())) {
                res.put("bestMetric", r.bestMetric());
            }
            res.put("bestEpoch", r.bestEpoch());
            r.classNames().forEach(res.putArray("classes")::add);
            res.put("device", device);
            if (!r.log().isEmpty()) {
                ClassificationEpochRecord last = r.log().get(r.log().size() - 1);
                res.set("finalMetrics", WorkerLine.metrics(ClassificationEpochMetrics.of(last, r.classNames())));
            }
            emit.accept(res);
            return 0;
        } catch (TrainingDivergedException e) {
            emit.accept(TrainingWorker.diverged(e));
            return 2;
        } catch (IllegalArgumentException e) {
            // bad inputs (labels, plans, splits, pretrained weights): the same attempt would fail again
            emit.accept(TrainingWorker.error(e.getMessage(), false));
            e.printStackTrace();
            return 2;
        } catch (Throwable e) {
            emit.accept(TrainingWorker.error(e.getClass().getSimpleName() + ": " + e.getMessage(), true));
            e.printStackTrace();
            return 2;
        }
    }
}
