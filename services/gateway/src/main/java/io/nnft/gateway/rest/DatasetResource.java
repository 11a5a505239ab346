package io.nnft.gateway.rest;

import io.nnft.gateway.service.DatasetIntake;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Raw datasets: uploaded as a zip, verified, stored under datasets/&lt;DatasetNNN_Name&gt;/. */
@Path("/datasets")
@Tag(name = "datasets")
public class DatasetResource {
    @Inject
    DatasetIntake intake;

    /**
     * The body is a zip of an nnU-Net raw dataset folder (dataset.json, imagesTr/, labelsTr/) at its
     * root or in one top-level folder named like the dataset. 201 with the dataset's location; 400
     * listing every problem the verification found; 409 when the name is taken (unless overwrite=true);
     * 413 past the size limits.
     */
    @POST
    @Consumes({"application/zip", "application/x-zip-compressed", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a raw nnU-Net dataset as a zip; verified before it is accepted")
    @APIResponse(responseCode = "201", description = "Verified and stored; Location is the dataset's prefix",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            implementation = DatasetIntake.Accepted.class)))
    @APIResponse(responseCode = "400", description = "Not a zip, an unsafe entry, or a dataset that fails"
            + " verification; every problem listed", content = @Content(mediaType = ProblemResponse.MEDIA_TYPE,
            schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    @APIResponse(responseCode = "409", description = "A dataset of that name exists (overwrite=false)", content =
            @Content(mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    @APIResponse(responseCode = "413", description = "The zip or its unpacked content is over the limits",
            content = @Content(mediaType = ProblemResponse.MEDIA_TYPE, schema = @Schema(ref = OpenApiContracts.PROBLEM)))
    public Response upload(InputStream zip, @QueryParam("name") String name,
                           @QueryParam("overwrite") @DefaultValue("false") boolean overwrite) throws IOException {
        DatasetIntake.Accepted accepted = intake.accept(zip, name, overwrite);
        return Response.created(URI.create(accepted.dataset())).entity(accepted).build();
    }
}
