package io.nnft.export;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Test resources copied from shared/fixtures/nnunet-ref/checkpoint/e_tiny_iso (see its README). */
final class Fixtures {
    static final String MODEL = "checkpoint/e_tiny_iso/nnUNetTrainer__nnUNetPlans_slim__3d_fullres/";

    private Fixtures() {
    }

    static Path resource(String relative) {
        var url = Fixtures.class.getResource("/nnunet-ref/" + relative);
        if (url == null) {
            throw new IllegalStateException("test resource nnunet-ref/" + relative + " missing");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The slim e_tiny_iso checkpoint written by nnU-Net's own trainer (188 state_dict keys, 68 tensors). */
    static Path checkpoint() {
        return resource(MODEL + "fold_0/checkpoint_final.pth");
    }
}
