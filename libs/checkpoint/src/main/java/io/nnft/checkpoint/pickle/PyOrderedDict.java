package io.nnft.checkpoint.pickle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Python's {@code collections.OrderedDict}, kept distinct from a plain dict so that a checkpoint
 * written back uses the same pickle global. PyTorch state_dicts carry a {@code _metadata} attribute
 * (module path → {"version": n}) set through BUILD; it is kept in {@link #metadata()}.
 */
public final class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private static final long serialVersionUID = 1L;

    private transient Map<Object, Object> metadata;

    public PyOrderedDict() {
    }

    public PyOrderedDict(Map<?, ?> entries) {
        super(entries);
    }

    /** The {@code _metadata} attribute of a state_dict, or null when the dict has none. */
    public Map<Object, Object> metadata() {
        return metadata;
    }

    public void setMetadata(Map<Object, Object> metadata) {
        this.metadata = metadata;
    }
}
