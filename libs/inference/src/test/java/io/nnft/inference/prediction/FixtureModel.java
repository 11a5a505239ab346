package io.nnft.inference.prediction;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The nnU-Net model folder of the e_tiny_iso fixture (slim PlainConvUNet, 32³ patch, 2 classes). */
final class FixtureModel {
    private FixtureModel() {
    }

    static Path resource(String name) {
        try {
            return Path.of(FixtureModel.class.getResource("/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }

    static Path modelFolder() {
        return resource("e_tiny_iso/nnUNetTrainer__nnUNetPlans_slim__3d_fullres");
    }
}
