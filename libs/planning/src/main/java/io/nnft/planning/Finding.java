package io.nnft.planning;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One difference between pretrained plans and the downstream dataset.
 *
 * @param key        the plans / dataset.json key it concerns, e.g. {@code normalization_schemes[0]}
 * @param pretrained the pretrained value
 * @param downstream the downstream value
 * @param message    what it means for fine-tuning
 */
public record Finding(String key, JsonNode pretrained, JsonNode downstream, String message) {

    @Override
    public String toString() {
        return key + ": pretrained " + pretrained + ", downstream " + downstream + " (" + message + ")";
    }
}
