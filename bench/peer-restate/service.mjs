// The bench workflow on Restate: ContactFilter -> ContactCouponIssue -> HttpRequest, each a durable ctx.run step
// (journaled by restate-server before the next one starts). Invoked one-way by the load generator:
//   POST <ingress>/Bench/run/send, header idempotency-key: <trigger id>,
//   body {"id", "contact": {"id", "email"}, "webhook": "http://127.0.0.1:<port>/sink"}
// Coupons go to this peer's own PostgreSQL database (bench/peers/coupons.sql).
import * as restate from "@restatedev/restate-sdk";
import pg from "pg";

const pool = new pg.Pool({
  host: process.env.PGHOST ?? "127.0.0.1",
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? "postgres",
  database: process.env.PGDATABASE ?? "bench_peer_restate",
  max: Number(process.env.PG_POOL_SIZE ?? 10),
});

// One transaction: lock the offer, check its limit, insert the coupon (keyed by the command, so a step retried
// after a crash between commit and journal answers with the coupon it already took), count it.
async function issueCoupon(commandId, contactId, offerId) {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const offer = await client.query({
      name: "lock-offer",
      text: "SELECT total_limit, issued FROM coupon_offer WHERE id = $1 FOR UPDATE",
      values: [offerId],
    });
    if (offer.rowCount === 0) {
      await client.query("ROLLBACK");
      return { path: "Failure", reason: "NoSuchOffer" };
    }
    const inserted = await client.query({
      name: "insert-coupon",
      text: "INSERT INTO coupon (command_id, offer_id, contact_id, code) VALUES ($1, $2, $3, $4) "
        + "ON CONFLICT (command_id) DO NOTHING RETURNING code",
      values: [commandId, offerId, contactId, "C-" + commandId],
    });
    if (inserted.rowCount === 0) {
      await client.query("ROLLBACK");
      return { path: "Success", code: "C-" + commandId };
    }
    if (offer.rows[0].issued >= offer.rows[0].total_limit) {
      await client.query("ROLLBACK");
      return { path: "OfferLimitsExceeded" };
    }
    await client.query({
      name: "count-coupon",
      text: "UPDATE coupon_offer SET issued = issued + 1 WHERE id = $1",
      values: [offerId],
    });
    await client.query("COMMIT");
    return { path: "Success", code: inserted.rows[0].code };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

const bench = restate.service({
  name: "Bench",
  handlers: {
    run: async (ctx, trigger) => {
      const valid = await ctx.run("ContactFilter", () => typeof trigger.contact?.email === "string"
        && trigger.contact.email.includes("@"));
      if (!valid) {
        return { path: "Failure" };
      }
      const coupon = await ctx.run("ContactCouponIssue", () => issueCoupon(trigger.id, trigger.contact.id, "bench"));
      if (coupon.path !== "Success") {
        return coupon;
      }
      const status = await ctx.run("HttpRequest", async () => {
        const response = await fetch(trigger.webhook, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": trigger.id },
          body: JSON.stringify({ id: trigger.id, contact: trigger.contact.id, code: coupon.code }),
        });
        await response.arrayBuffer();
        if (!response.ok) {
          throw new Error("webhook answered " + response.status); // retried by Restate
        }
        return response.status;
      });
      return { path: "Success", code: coupon.code, status };
    },
  },
});

const port = await restate.serve({ services: [bench], port: Number(process.env.PORT ?? 9080) });
console.log("bench service listening on " + port);

const stop = async () => {
  await pool.end().catch(() => {});
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
