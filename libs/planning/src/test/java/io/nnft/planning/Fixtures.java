package io.nnft.planning;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Test resources: nnU-Net v2.8.1 reference outputs (copied into nnunet-ref/) and our own small inputs. */
final class Fixtures {
    private Fixtures() {
    }

    static Path path(String relative) {
        return resource("nnunet-ref/" + relative);
    }

    static Path resource(String relative) {
        URL url = Fixtures.class.getResource("/" + relative);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + relative);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
