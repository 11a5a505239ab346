package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a job trains. */
public enum Task {
    @JsonProperty("segmentation") SEGMENTATION,
    @JsonProperty("classification") CLASSIFICATION
}
