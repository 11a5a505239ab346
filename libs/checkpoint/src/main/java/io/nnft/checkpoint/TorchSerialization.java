package io.nnft.checkpoint;

import io.nnft.imageio.AtomicFiles;
import io.nnft.checkpoint.pickle.TorchPickler;
import io.nnft.checkpoint.pickle.TorchZipReader;
import io.nnft.checkpoint.pickle.TorchZipWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code torch.load} / {@code torch.save} for the object trees of checkpoints, without Python: see
 * {@link TorchPickler} for how Python values map to Java ones. Loading goes through an allow-list
 * unpickler; any global outside it fails the load with its name.
 */
public final class TorchSerialization {
    private TorchSerialization() {
    }

    /** The unpickled object tree of a {@code .pth} file. */
    public static Object load(Path file) throws IOException {
        return TorchZipReader.load(file);
    }

    /** Writes {@code root} as a {@code torch.save} zip, atomically (temporary file + move). */
    public static void save(Path file, Object root) throws IOException {
        TorchPickler.Pickled pickled = TorchPickler.pickle(root);
        AtomicFiles.write(file, tmp -> TorchZipWriter.write(tmp, archiveName(file), pickled));
    }

    /** torch names the zip's top folder after the file's stem (e.g. {@code checkpoint_final}). */
    static String archiveName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return stem.matches("[A-Za-z0-9_.-]+") ? stem : "archive";
    }
}
