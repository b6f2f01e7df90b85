package io.engageflow.reward.api;

import io.engageflow.common.auth.Allowed;
import io.engageflow.contracts.auth.Role;
import io.engageflow.common.api.ApiException;
import io.engageflow.reward.domain.Coupon;
import io.engageflow.reward.domain.CouponMint;
import io.engageflow.reward.domain.CouponOffer;
import io.engageflow.reward.domain.RewardProfile;
import io.engageflow.reward.persistence.CouponStore;
import io.engageflow.reward.persistence.OfferStore;
import io.engageflow.reward.persistence.ProfileStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Rewards data API of CONTRACT.md: coupon offers and what a contact holds. */
@Path("/api/workspaces/{ws}")
@Produces(MediaType.APPLICATION_JSON)
public class RewardResource {
    /** Body of POST coupon-offers. */
    public record NewOffer(String name, Integer totalLimit, Instant validUntil, List<String> codes) {
    }

    /** A coupon offer as the API shows it (absent values are null, not left out). */
    public record OfferView(String name, Integer totalLimit, int issued, Integer remaining, Instant validUntil) {
    }

    /** What a contact holds: its coupons, and its profile (before anything was given to it: the empty one). */
    public record Rewards(List<Map<String, String>> coupons, long points, String tier, List<String> achievements,
                          Map<String, Long> entries, List<Map<String, Object>> cards,
                          List<Map<String, Object>> scores) {
    }

    private final Pool pool;
    private final OfferStore offers;
    private final CouponStore coupons;
    private final ProfileStore profiles;
    private final CouponMint mint;

    public RewardResource(Pool pool, OfferStore offers, CouponStore coupons, ProfileStore profiles, CouponMint mint) {
        this.pool = pool;
        this.offers = offers;
        this.coupons = coupons;
        this.profiles = profiles;
        this.mint = mint;
    }

    @Allowed(Role.ADMIN)
    @POST
    @Path("/coupon-offers")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> createOffer(@PathParam("ws") String ws, NewOffer body) {
        List<String> problems = new ArrayList<>();
        if (body == null || body.name() == null || body.name().isBlank() || body.name().length() > 200) {
            problems.add("name is required (at most 200 characters)");
        }
        if (body != null && body.totalLimit() != null && body.totalLimit() < 0) {
            problems.add("totalLimit must not be negative");
        }
        if (body != null && body.codes() != null) {
            if (body.codes().stream().anyMatch(c -> c == null || c.isBlank())) {
                problems.add("codes must not be blank");
            } else if (body.codes().stream().anyMatch(c -> c.length() > 200)) {
                problems.add("codes must be at most 200 characters");
            } else if (new LinkedHashSet<>(body.codes()).size() != body.codes().size()) {
                problems.add("codes must be unique");
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the coupon offer was not created", problems);
        }
        boolean hasPool = body.codes() != null && !body.codes().isEmpty();
        // a pool of codes caps the offer at its size unless a smaller limit is given
        Integer totalLimit = hasPool && (body.totalLimit() == null || body.totalLimit() > body.codes().size())
                ? Integer.valueOf(body.codes().size()) : body.totalLimit();
        CouponOffer offer = new CouponOffer(CouponOffer.key(ws, body.name()), ws, body.name(), totalLimit, 0,
                body.validUntil(), hasPool);
        List<Coupon> pooled = hasPool ? body.codes().stream().map(mint::withCode).toList() : List.of();
        return pool.withTransaction(tx -> offers.insert(tx, offer, Instant.now()).chain(created -> {
            if (!created) {
                throw new ApiException(409, "conflict", "coupon offer " + body.name() + " exists", List.of());
            }
            return pooled.isEmpty() ? Uni.createFrom().voidItem() : coupons.addToPool(tx, offer, pooled);
        })).replaceWith(() -> Response.status(201).entity(view(offer)).build());
    }

    @Allowed(Role.READER)
    @GET
    @Path("/coupon-offers/{name}")
    public Uni<OfferView> offer(@PathParam("ws") String ws, @PathParam("name") String name) {
        return offers.find(pool, CouponOffer.key(ws, name)).map(offer -> view(offer
                .orElseThrow(() -> ApiException.notFound("coupon offer " + name))));
    }

    @Allowed(Role.READER)
    @GET
    @Path("/contacts/{id}/rewards")
    public Uni<Rewards> rewards(@PathParam("ws") String ws, @PathParam("id") String id) {
        return coupons.heldBy(pool, ws, id).chain(held -> profiles.find(pool, ws, id).map(found -> {
            RewardProfile p = found.orElse(RewardProfile.EMPTY);
            return new Rewards(held.stream().map(h -> Map.of("id", h.coupon().id(), "code", h.coupon().code(),
                    "link", h.coupon().link(), "offer", h.offerName())).toList(), p.points(), p.tier(),
                    p.achievements(), p.entries(), p.cards(), p.scores());
        }));
    }

    private static OfferView view(CouponOffer offer) {
        return new OfferView(offer.name(), offer.totalLimit(), offer.issued(), offer.remaining(), offer.validUntil());
    }
}
