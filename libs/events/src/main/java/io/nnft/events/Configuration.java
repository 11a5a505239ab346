package io.nnft.events;

import com.fasterxml.jackson.annotation.JsonProperty;

/** nnU-Net configuration names as they appear in plans.json. */
public enum Configuration {
    @JsonProperty("2d") TWO_D("2d"),
    @JsonProperty("3d_fullres") THREE_D_FULLRES("3d_fullres"),
    @JsonProperty("3d_lowres") THREE_D_LOWRES("3d_lowres");

    private final String nnunetName;

    Configuration(String nnunetName) {
        this.nnunetName = nnunetName;
    }

    /** The key in plans.json's {@code configurations}. */
    public String nnunetName() {
        return nnunetName;
    }

    @Override
    public String toString() {
        return nnunetName;
    }
}
