package io.nnft.preprocessing;

import java.nio.file.Path;

/** Public door to the package-private {@link CtFixture} for tests in sub-packages. */
public final class CtFixtureAccess {
    private CtFixtureAccess() {
    }

    public static Path dir() {
        return CtFixture.dir();
    }

    public static RawCase ct000(boolean withSeg) {
        return CtFixture.ct000(withSeg);
    }
}
