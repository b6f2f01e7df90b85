package io.engageflow.reward.api;

import io.engageflow.common.api.ApiException;
import io.engageflow.reward.domain.CouponIssuer;
import io.engageflow.reward.persistence.Coupon;
import io.engageflow.reward.persistence.CouponOffer;
import io.engageflow.reward.persistence.RewardProfile;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
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
import java.util.LinkedHashMap;
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

    private final CouponIssuer coupons;

    public RewardResource(CouponIssuer coupons) {
        this.coupons = coupons;
    }

    @POST
    @Path("/coupon-offers")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
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
            } else if (new LinkedHashSet<>(body.codes()).size() != body.codes().size()) {
                problems.add("codes must be unique");
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the coupon offer was not created", problems);
        }
        String key = CouponOffer.key(ws, body.name());
        return CouponOffer.<CouponOffer>findById(key).chain(existing -> {
            if (existing != null) {
                throw new ApiException(409, "conflict", "coupon offer " + body.name() + " exists", List.of());
            }
            CouponOffer offer = new CouponOffer();
            offer.key = key;
            offer.workspaceId = ws;
            offer.name = body.name();
            offer.validUntil = body.validUntil();
            offer.createdAt = Instant.now();
            offer.hasPool = body.codes() != null && !body.codes().isEmpty();
            // a pool of codes caps the offer at its size unless a smaller limit is given
            offer.totalLimit = offer.hasPool && (body.totalLimit() == null || body.totalLimit() > body.codes().size())
                    ? Integer.valueOf(body.codes().size()) : body.totalLimit();
            List<Coupon> pool = new ArrayList<>();
            if (offer.hasPool) {
                for (String code : body.codes()) {
                    pool.add(coupons.newCoupon(offer, code));
                }
            }
            return offer.persist().chain(() -> pool.isEmpty() ? Uni.createFrom().voidItem() : Coupon.persist(pool))
                    .replaceWith(() -> Response.status(201).entity(view(offer)).build());
        });
    }

    @GET
    @Path("/coupon-offers/{name}")
    @WithSession
    public Uni<Map<String, Object>> offer(@PathParam("ws") String ws, @PathParam("name") String name) {
        return CouponOffer.<CouponOffer>findById(CouponOffer.key(ws, name)).map(offer -> {
            if (offer == null) {
                throw ApiException.notFound("coupon offer " + name);
            }
            return view(offer);
        });
    }

    @GET
    @Path("/contacts/{id}/rewards")
    @WithSession
    public Uni<Map<String, Object>> rewards(@PathParam("ws") String ws, @PathParam("id") String id) {
        return Coupon.<Coupon>list("workspaceId = ?1 and contactId = ?2", Sort.by("issuedAt"), ws, id)
                .chain(coupons -> RewardProfile.<RewardProfile>findById(RewardProfile.key(ws, id)).map(p -> {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("coupons", coupons.stream().map(c -> Map.of("id", c.id, "code", c.code, "link", c.link,
                            "offer", c.offerKey.substring(ws.length() + 1))).toList());
                    v.put("points", p == null ? 0 : p.points);
                    v.put("tier", p == null ? null : p.tier);
                    v.put("achievements", p == null ? List.of() : p.achievements());
                    v.put("entries", p == null ? Map.of() : p.entries());
                    v.put("cards", p == null ? List.of() : p.cards());
                    v.put("scores", p == null ? List.of() : p.scores());
                    return v;
                }));
    }

    private static Map<String, Object> view(CouponOffer offer) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", offer.name);
        v.put("totalLimit", offer.totalLimit);
        v.put("issued", offer.issued);
        v.put("remaining", offer.remaining());
        v.put("validUntil", offer.validUntil);
        return v;
    }
}
