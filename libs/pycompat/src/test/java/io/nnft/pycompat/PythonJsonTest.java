package io.nnft.pycompat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Against CPython's json.dumps(obj, indent=4) and repr(float) (values printed by Python itself). */
class PythonJsonTest {

    @Test
    void pythonFloatRepr() {
        assertThat(PythonJson.pythonFloat(1e-5)).isEqualTo("1e-05");
        assertThat(PythonJson.pythonFloat(320.0)).isEqualTo("320.0");
        assertThat(PythonJson.pythonFloat(0.0001)).isEqualTo("0.0001");
        assertThat(PythonJson.pythonFloat(1e16)).isEqualTo("1e+16");
        assertThat(PythonJson.pythonFloat(1e15)).isEqualTo("1000000000000000.0");
        assertThat(PythonJson.pythonFloat(3.5999999046325684)).isEqualTo("3.5999999046325684");
        assertThat(PythonJson.pythonFloat(-2.5e-7)).isEqualTo("-2.5e-07");
        assertThat(PythonJson.pythonFloat(2e-323)).isEqualTo("2e-323");
    }

    @Test
    void writesAsJsonDumpWithIndent4() throws Exception {
        // json.dumps({"a": [1, 2.0, 1e-05], "b": {}, "c": [], "d": "\u00e9\"\\\n", "e": None, "f": True}, indent=4)
        String in = "{\"a\": [1, 2.0, 1e-05], \"b\": {}, \"c\": [], \"d\": \"\\u00e9\\\"\\\\\\n\", \"e\": null, \"f\": true}";
        assertThat(PythonJson.write(new ObjectMapper().readTree(in))).isEqualTo("""
                {
                    "a": [
                        1,
                        2.0,
                        1e-05
                    ],
                    "b": {},
                    "c": [],
                    "d": "\\u00e9\\"\\\\\\n",
                    "e": null,
                    "f": true
                }""");
    }
}
