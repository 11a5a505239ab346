package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The preprocessor wrote the arrays the trainer reads ({@code schemas/PreprocessingCompleted.v1.schema.json}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PreprocessingCompleted(
        String jobId,
        FineTuneRequested request,
        String plans,
        String datasetJson,
        String preprocessed,
        String splits,
        Configuration configuration,
        Integer numCases,
        Long totalBytes,
        Double durationSeconds)
        implements NnftEvent {}
