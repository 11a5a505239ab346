package io.nnft.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The e_tiny_iso fixtures copied from nnU-Net v2.8.1's reference outputs into test resources. */
final class Fixtures {
    private Fixtures() {
    }

    static Path file(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/e_tiny_iso/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource e_tiny_iso/" + name, e);
        }
    }

    static Path checkpoint() {
        return file("checkpoint_final.pth");
    }

    /** name, shape, dtype per line of state_dict_keys*.txt. */
    record KeyLine(String name, String shape, String dtype) {
    }

    static List<KeyLine> keyLines(String file) {
        List<KeyLine> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(file(file))) {
                if (l.isBlank()) {
                    continue;
                }
                String[] f = l.split("\t");
                out.add(new KeyLine(f[0], f[1], f[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** index, name, shape, has_momentum_buffer of optimizer_param_index.txt. */
    record ParamLine(int index, String name, String shape, boolean hasMomentum) {
    }

    static List<ParamLine> paramLines() {
        List<ParamLine> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file("optimizer_param_index.txt"));
            for (String l : lines.subList(1, lines.size())) {
                if (l.isBlank()) {
                    continue;
                }
                String[] f = l.split("\t");
                out.add(new ParamLine(Integer.parseInt(f[0]), f[1], f[2], f[3].equals("yes")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
