package io.nnft.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One training case of a raw dataset: its identifier, its channel files
 * ({@code imagesTr/<id>_<XXXX><ending>}, sorted by name, i.e. by channel index) and its label file
 * ({@code labelsTr/<id><ending>}, which may be missing on disk — see {@link #hasLabel()}).
 */
public record RawCase(String id, List<Path> images, Path label) {
    public RawCase {
        images = List.copyOf(images);
    }

    public boolean hasLabel() {
        return Files.isRegularFile(label);
    }

    /** The 4-digit channel index of an image file name, or -1 when the name does not follow the layout. */
    public static int channelIndex(String fileName, String id, String fileEnding) {
        String expectedPrefix = id + "_";
        if (!fileName.startsWith(expectedPrefix) || !fileName.endsWith(fileEnding)
                || fileName.length() != expectedPrefix.length() + 4 + fileEnding.length()) {
            return -1;
        }
        String digits = fileName.substring(expectedPrefix.length(), expectedPrefix.length() + 4);
        for (int i = 0; i < 4; i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(digits);
    }
}
