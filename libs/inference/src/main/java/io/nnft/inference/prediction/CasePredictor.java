package io.nnft.inference.prediction;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.nnft.inference.LabelLayout;
import io.nnft.network.PlainConvUNet;
import io.nnft.planning.Plans;
import io.nnft.preprocessing.CaseProperties;
import io.nnft.preprocessing.DatasetLabels;
import io.nnft.preprocessing.DefaultPreprocessor;
import io.nnft.preprocessing.Parallel;
import io.nnft.preprocessing.PreprocessedCase;
import io.nnft.preprocessing.PreprocessingPlan;
import io.nnft.preprocessing.RawCase;

import java.util.List;

/**
 * One case from raw arrays (or from preprocessed data and its properties) to a segmentation in the
 * input's array order: DefaultPreprocessor without a label, the sliding window, then the export.
 */
public final class CasePredictor {
    private final DefaultPreprocessor preprocessor;
    private final SlidingWindowPredictor slidingWindow;
    private final ExportPlan exportPlan;
    private final Parallel parallel;

    public CasePredictor(Plans plans, String configuration, JsonNode datasetJson, String datasetJsonWhere,
                         List<PlainConvUNet> networks, NDManager manager, PredictionSettings settings, Parallel parallel) {
        LabelLayout labels = LabelLayout.fromDatasetJson(datasetJson, datasetJsonWhere);
        this.preprocessor = new DefaultPreprocessor(PreprocessingPlan.of(plans, configuration,
                DatasetLabels.fromDatasetJson(datasetJson, datasetJsonWhere)), parallel);
        this.slidingWindow = new SlidingWindowPredictor(networks, manager,
                plans.configuration(configuration).patchSize(), settings);
        this.exportPlan = ExportPlan.of(plans, configuration, labels);
        this.parallel = parallel;
        if (slidingWindow.heads() != labels.numSegmentationHeads()) {
            throw new IllegalArgumentException("the network has " + slidingWindow.heads() + " segmentation heads, "
                    + datasetJsonWhere + "'s labels need " + labels.numSegmentationHeads());
        }
    }

    /** A model folder's networks with the given settings. */
    public static CasePredictor of(TrainedModel model, PredictionSettings settings, Parallel parallel) {
        return new CasePredictor(model.plans(), model.configuration(), model.datasetJson(),
                model.folder().resolve("dataset.json").toString(), model.networks(), model.manager(), settings, parallel);
    }

    public LabelLayout labels() {
        return exportPlan.labels();
    }

    /** Preprocesses (consuming the raw arrays), predicts and exports. */
    public ExportedPrediction predict(RawCase raw, boolean withProbabilities) {
        if (raw.hasSeg()) {
            throw new IllegalArgumentException(raw.identifier() + ": an inference case has no label map");
        }
        PreprocessedCase pre = preprocessor.run(raw);
        return predictPreprocessed(pre.data(), pre.shape(), pre.properties(), withProbabilities);
    }

    /** What nnU-Net's final validation does: logits from preprocessed data, exported with the case's properties. */
    public ExportedPrediction predictPreprocessed(float[][] data, int[] shape, CaseProperties properties,
                                                  boolean withProbabilities) {
        return export(slidingWindow.predictLogits(data, shape), shape, properties, withProbabilities);
    }

    /** The logits only, at the preprocessed resolution (for tests and benchmarks). */
    public float[][] predictLogits(float[][] data, int[] shape) {
        return slidingWindow.predictLogits(data, shape);
    }

    /** The logits only, telling {@code progress} after each batch of tiles (which may stop the prediction). */
    public float[][] predictLogits(float[][] data, int[] shape, TileProgress progress) {
        return slidingWindow.predictLogits(data, shape, progress);
    }

    /** Logits at the preprocessed resolution back to the input's geometry: nnU-Net's export step. */
    public ExportedPrediction export(float[][] logits, int[] shape, CaseProperties properties,
                                     boolean withProbabilities) {
        return PredictionExport.export(logits, shape, properties, exportPlan, withProbabilities, parallel);
    }

    public PreprocessedCase preprocess(RawCase raw) {
        return preprocessor.run(raw);
    }
}
