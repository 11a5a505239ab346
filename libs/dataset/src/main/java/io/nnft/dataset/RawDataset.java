package io.nnft.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * An nnU-Net raw dataset folder: {@code dataset.json}, {@code imagesTr/<case>_<XXXX><ending>} per
 * channel, {@code labelsTr/<case><ending>}. Cases are found the way nnU-Net finds them: every file in
 * imagesTr with the file ending gives the identifier left after cutting the ending and the 5-character
 * channel suffix; identifiers are unique and sorted. Opening lists files only; no image is read.
 */
public final class RawDataset {
    private final Path root;
    private final Path datasetJsonFile;
    private final DatasetJson datasetJson;
    private final List<RawCase> cases;
    private final List<Path> strayImageFiles;
    private final List<Path> strayLabelFiles;
    private final boolean hasLabelsFolder;

    private RawDataset(Path root, Path datasetJsonFile, DatasetJson datasetJson, List<RawCase> cases,
                       List<Path> strayImageFiles, List<Path> strayLabelFiles, boolean hasLabelsFolder) {
        this.root = root;
        this.datasetJsonFile = datasetJsonFile;
        this.datasetJson = datasetJson;
        this.cases = cases;
        this.strayImageFiles = strayImageFiles;
        this.strayLabelFiles = strayLabelFiles;
        this.hasLabelsFolder = hasLabelsFolder;
    }

    /**
     * Opens a raw dataset folder. dataset.json is read from {@code root}, or from its parent when the
     * folder holds only imagesTr/labelsTr (as the reference fixtures are laid out).
     *
     * @throws DatasetFormatException when dataset.json is missing or invalid, or imagesTr is missing
     */
    public static RawDataset open(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new DatasetFormatException(List.of(DatasetProblem.error(root.toString(), "raw dataset folder",
                    "a directory with dataset.json, imagesTr and labelsTr", Files.exists(root) ? "a file" : "nothing")));
        }
        Path djFile = root.resolve("dataset.json");
        if (!Files.isRegularFile(djFile) && root.toAbsolutePath().getParent() != null
                && Files.isRegularFile(root.toAbsolutePath().getParent().resolve("dataset.json"))) {
            djFile = root.toAbsolutePath().getParent().resolve("dataset.json");
        }
        DatasetJson dj = DatasetJson.read(djFile);
        Path imagesTr = root.resolve("imagesTr");
        if (!Files.isDirectory(imagesTr)) {
            throw new DatasetFormatException(List.of(DatasetProblem.error(imagesTr.toString(), "imagesTr folder",
                    "a directory of <case>_<XXXX>" + dj.fileEnding() + " files", "none")));
        }
        String ending = dj.fileEnding();
        List<String> imageNames = fileNames(imagesTr, ending);
        TreeMap<String, List<Path>> byCase = new TreeMap<>();
        List<Path> stray = new ArrayList<>();
        int crop = ending.length() + 5;
        for (String name : imageNames) {
            String id = name.length() > crop ? name.substring(0, name.length() - crop) : null;
            if (id == null || RawCase.channelIndex(name, id, ending) < 0) {
                stray.add(imagesTr.resolve(name));
            } else {
                byCase.computeIfAbsent(id, k -> new ArrayList<>()).add(imagesTr.resolve(name));
            }
        }
        Path labelsTr = root.resolve("labelsTr");
        boolean hasLabels = Files.isDirectory(labelsTr);
        List<RawCase> cases = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : byCase.entrySet()) {
            cases.add(new RawCase(e.getKey(), e.getValue(), labelsTr.resolve(e.getKey() + ending)));
        }
        List<Path> strayLabels = new ArrayList<>();
        if (hasLabels) {
            TreeSet<String> ids = new TreeSet<>(byCase.keySet());
            for (String name : fileNames(labelsTr, ending)) {
                if (!ids.contains(name.substring(0, name.length() - ending.length()))) {
                    strayLabels.add(labelsTr.resolve(name));
                }
            }
        }
        return new RawDataset(root, djFile, dj, List.copyOf(cases), List.copyOf(stray), List.copyOf(strayLabels),
                hasLabels);
    }

    /** Names of regular files in a folder ending in {@code ending}, sorted like Python's sorted(). */
    private static List<String> fileNames(Path dir, String ending) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(ending)).sorted().toList();
        }
    }

    public Path root() {
        return root;
    }

    /** Where dataset.json was read from (root, or its parent). */
    public Path datasetJsonFile() {
        return datasetJsonFile;
    }

    public DatasetJson datasetJson() {
        return datasetJson;
    }

    /** Training cases sorted by identifier, as nnU-Net orders them. */
    public List<RawCase> cases() {
        return cases;
    }

    /** Files in imagesTr with the file ending that do not follow {@code <case>_<XXXX><ending>}. */
    public List<Path> strayImageFiles() {
        return strayImageFiles;
    }

    /** Files in labelsTr with the file ending that belong to no case in imagesTr. */
    public List<Path> strayLabelFiles() {
        return strayLabelFiles;
    }

    public boolean hasLabelsFolder() {
        return hasLabelsFolder;
    }

    public Path imagesTr() {
        return root.resolve("imagesTr");
    }

    public Path labelsTr() {
        return root.resolve("labelsTr");
    }
}
