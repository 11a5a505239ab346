package io.nnft.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nnft.events.EventJson;
import io.nnft.events.EventSchemas;
import io.nnft.events.EventType;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Puts the real contracts into the OpenAPI document: the request schemas as the gateway validates them (read
 * from schemas/, bounds and descriptions included), nnU-Net's fold as a number or "all", the problem+json body
 * of every error, and the 401 that {@link io.nnft.gateway.auth.ApiKeyFilter} answers on every route (a Vert.x
 * filter, so no annotation scan sees it). The resources refer to these components by name.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OpenApiContracts implements OASFilter {
    /** One FineTuneRequested, as posted to POST /jobs (and published). */
    static final String REQUEST = "FineTuneRequest";
    /** The fan-out form: 'datasets' instead of 'dataset'. */
    static final String REQUEST_FOR_DATASETS = "FineTuneRequestForDatasets";
    /** POST /jobs's body: either of the two. */
    static final String REQUEST_BODY = "FineTuneRequestBody";
    /** RFC 9457 problem details as {@link ProblemResponse} writes them. */
    static final String PROBLEM = "ProblemDetails";
    /** The component the scanner makes of io.nnft.events.Fold (a record, so an object with 'index'). */
    static final String FOLD = "Fold";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        EventType type = EventType.FINE_TUNE_REQUESTED;
        ObjectNode request = JsonSchemaModels.inline(type.schemaFileName(), EventSchemas.get().schemaTree(type));
        request.put("title", REQUEST);
        components.addSchema(REQUEST, JsonSchemaModels.toModel(request));
        components.addSchema(REQUEST_FOR_DATASETS, JsonSchemaModels.toModel(forDatasets(request)));
        components.addSchema(REQUEST_BODY, OASFactory.createSchema()
                .description("One fine-tune request, or the same settings for several datasets (one job each, all"
                        + " from the same pretrained model).")
                .oneOf(List.of(OASFactory.createSchema().ref(REQUEST), OASFactory.createSchema().ref(REQUEST_FOR_DATASETS))));
        components.addSchema(FOLD, JsonSchemaModels.toModel(JsonSchemaModels.inline(EventSchemas.COMMON_SCHEMA,
                EventSchemas.get().schemaTree(EventSchemas.COMMON_SCHEMA).at("/$defs/fold"))));
        components.addSchema(PROBLEM, JsonSchemaModels.toModel(problem()));
        if (openAPI.getPaths() != null && openAPI.getPaths().getPathItems() != null) {
            openAPI.getPaths().getPathItems().values().forEach(item -> item.getOperations().values()
                    .forEach(operation -> unauthorized(operation.getResponses())));
        }
    }

    /** The request with 'datasets' (non-empty, each once) instead of 'dataset', and 'pretrained' required. */
    private static ObjectNode forDatasets(ObjectNode request) {
        ObjectNode fanOut = request.deepCopy();
        fanOut.put("title", REQUEST_FOR_DATASETS);
        fanOut.put("description", "The settings of a FineTuneRequest for several datasets: one job per entry of"
                + " 'datasets', each starting from the same 'pretrained' model; a jobId is the base of"
                + " <jobId>-1..n.");
        ObjectNode properties = (ObjectNode) fanOut.get("properties");
        JsonNode dataset = properties.remove("dataset");
        ObjectNode datasets = properties.putObject("datasets");
        datasets.put("description", "The datasets, one job each (as 'dataset' of a single request).");
        datasets.put("type", "array");
        datasets.put("minItems", 1);
        datasets.put("uniqueItems", true);
        datasets.set("items", dataset);
        fanOut.putArray("required").add("datasets").add("pretrained");
        return fanOut;
    }

    private static ObjectNode problem() {
        ObjectNode problem = object();
        problem.put("description", "RFC 9457 problem details listing every problem, each naming the failing field"
                + " (a JSON pointer into the body), parameter or file.");
        problem.put("type", "object");
        problem.putArray("required").add("type").add("title").add("status").add("detail").add("problems");
        ObjectNode properties = problem.putObject("properties");
        properties.putObject("type").put("type", "string").put("description", "about:blank");
        properties.putObject("title").put("type", "string").put("description", "What went wrong, e.g. invalid"
                + " fine-tune request.");
        properties.putObject("status").put("type", "integer").put("description", "The HTTP status.");
        properties.putObject("detail").put("type", "string").put("description", "The first problem as"
                + " '<where>: expected <rule>, found <value>'.");
        ObjectNode problems = properties.putObject("problems");
        problems.put("type", "array");
        problems.set("items", JsonSchemaModels.inline(EventSchemas.COMMON_SCHEMA,
                EventSchemas.get().schemaTree(EventSchemas.COMMON_SCHEMA).at("/$defs/problem")));
        return problem;
    }

    private static void unauthorized(APIResponses responses) {
        if (responses != null && !responses.hasAPIResponse("401")) {
            responses.addAPIResponse("401", OASFactory.createAPIResponse()
                    .description("No valid API key ('Authorization: Bearer <key>')")
                    .content(OASFactory.createContent().addMediaType(ProblemResponse.MEDIA_TYPE,
                            OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)))));
        }
    }

    private static ObjectNode object() {
        return EventJson.mapper().createObjectNode();
    }
}
