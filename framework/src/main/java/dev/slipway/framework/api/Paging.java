package dev.slipway.framework.api;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Pagination of a list endpoint, as Heroku's Platform API does it, with a query form beside it.
 * <ul>
 * <li>{@code Range: <field> [<first>]..[<last>][; max=<n>][, order=asc|desc]}: {@code ]<first>}
 *     starts after {@code first}; the answer is 206 with {@code Next-Range} while more items
 *     follow, 200 with the last page; {@code Accept-Ranges} names the field, {@code Content-Range}
 *     the page's first and last keys.
 * <li>{@code ?limit=<n>&cursor=<c>} (and {@code order=}): the same pages, with {@code Next-Cursor}
 *     and a {@code Link: <...>; rel="next"} while more follow.
 * </ul>
 * A page holds {@value #DEFAULT_SIZE} items unless asked (at most {@value #MAX_SIZE}); a page never
 * splits items of the same key (two instances of one dyno during a deploy). Each list says its field,
 * its key, the order of its keys and its default direction; {@link #respond} serves it. Bad ranges,
 * cursors and limits are 400 problem+json (a field not served is 416), naming what is accepted.
 *
 * <p>For a new list endpoint: {@code static final Paging<Token> TOKENS = new Paging<>("id",
 * Token::id, Comparator.naturalOrder(), false);} then, in its handler,
 * {@code TOKENS.respond(ctx, () -> store.list(), TokenBody::of);} and in its OpenAPI file the
 * parameters {@code Range}, {@code Limit}, {@code Cursor} and the 206 answer (see {@code apps.json}).
 *
 * @param field       the one field ranges name ({@code Accept-Ranges})
 * @param key         an item's key in that field
 * @param order       the keys' ascending order
 * @param descending  whether the list comes newest first unless asked otherwise
 * @param <T>         the items
 */
public record Paging<T>(String field, Function<T, String> key, Comparator<String> order, boolean descending) {
    public static final int DEFAULT_SIZE = 200;
    public static final int MAX_SIZE = 1000;

    /** What the client asked for; {@link Invalid} 400 or 416 when it cannot be served. */
    public record Request(String start, boolean after, String end, int max, boolean descending, boolean ranged) {
    }

    /** Keys ordered as whole numbers ({@code version}): {@code 10} after {@code 9}. */
    public static Comparator<String> numeric() {
        return Comparator.comparingLong(Paging::number);
    }

    /** Keys such as dyno names ({@code web.10} after {@code web.9}): text, then the trailing number. */
    public static Comparator<String> natural() {
        return Comparator.comparing((String name) -> name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name)
                .thenComparingLong(name -> name.contains(".") ? number(name.substring(name.lastIndexOf('.') + 1)) : -1)
                .thenComparing(Comparator.naturalOrder());
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Answers the page of {@code all} (read on a worker thread, 503 if ZooKeeper goes away) the
     * request asks for, each item shown as {@code body}.
     */
    public <B> void respond(RoutingContext ctx, Callable<List<T>> all, Function<T, B> body) {
        Request request;
        try {
            request = parse(ctx);
        } catch (Invalid e) {
            Problems.send(ctx, Problems.of(e));
            return;
        }
        ZooKeeperGate.blocking(ctx, all).onSuccess(items -> answer(ctx, request, items, body))
                .onFailure(failure -> Problems.send(ctx, Problems.of(failure)));
    }

    private <B> void answer(RoutingContext ctx, Request request, List<T> items, Function<T, B> body) {
        Comparator<String> direction = request.descending() ? order.reversed() : order;
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(key, direction));
        List<T> page = new ArrayList<>();
        int i = 0;
        while (i < sorted.size() && request.start() != null
                && (request.after() ? direction.compare(key.apply(sorted.get(i)), request.start()) <= 0
                : direction.compare(key.apply(sorted.get(i)), request.start()) < 0)) {
            i++;
        }
        for (; i < sorted.size(); i++) {
            T item = sorted.get(i);
            String itemKey = key.apply(item);
            if (request.end() != null && direction.compare(itemKey, request.end()) > 0) {
                break;
            }
            if (page.size() >= request.max() && !itemKey.equals(key.apply(page.get(page.size() - 1)))) {
                break;
            }
            page.add(item);
        }
        boolean more = i < sorted.size() && (request.end() == null || direction.compare(key.apply(sorted.get(i)),
                request.end()) <= 0);
        var response = ctx.response();
        response.putHeader("Accept-Ranges", field);
        if (!page.isEmpty()) {
            response.putHeader("Content-Range", field + " " + key.apply(page.get(0)) + ".."
                    + key.apply(page.get(page.size() - 1)));
        }
        if (more) {
            String last = key.apply(page.get(page.size() - 1));
            String order = request.descending() ? "desc" : "asc";
            response.putHeader("Next-Range", field + " ]" + last + "..; max=" + request.max() + ", order=" + order);
            String cursor = cursor(last);
            response.putHeader("Next-Cursor", cursor);
            response.putHeader("Link", "<" + ctx.request().path() + "?limit=" + request.max() + "&cursor=" + cursor
                    + "&order=" + order + ">; rel=\"next\"");
        }
        Handlers.json(ctx, more ? 206 : 200, page.stream().map(body).toList());
    }

    /** The page asked for by the {@code Range} header, else by the query; the first page by default. */
    public Request parse(RoutingContext ctx) {
        String range = ctx.request().getHeader("Range");
        String limit = ctx.queryParams().get("limit");
        String cursor = ctx.queryParams().get("cursor");
        String orderParam = ctx.queryParams().get("order");
        if (range != null && (limit != null || cursor != null)) {
            throw new Invalid(400, "give a Range header or ?limit and ?cursor, not both");
        }
        if (range != null) {
            return range(range);
        }
        int max = limit == null ? DEFAULT_SIZE : size(limit, "limit");
        boolean desc = direction(orderParam == null ? null : orderParam.strip(), "order");
        return new Request(cursor == null || cursor.isEmpty() ? null : uncursor(cursor), true, null, max, desc, false);
    }

    private Request range(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        String name = space < 0 ? value : value.substring(0, space);
        if (!name.equals(field)) {
            throw new Invalid(416, "this list is ranged by " + field + " (Accept-Ranges), not by '"
                    + LogSafe.of(name, 40) + "': e.g. Range: " + field + " ..; max=" + DEFAULT_SIZE);
        }
        String rest = space < 0 ? "" : value.substring(space + 1).strip();
        String bounds = rest;
        String options = "";
        int semicolon = rest.indexOf(';');
        if (semicolon >= 0) {
            bounds = rest.substring(0, semicolon).strip();
            options = rest.substring(semicolon + 1).strip();
        }
        int dots = bounds.indexOf("..");
        if (!bounds.isEmpty() && dots < 0) {
            throw new Invalid(400, "the Range must be '" + field + " [first]..[last][; max=n][, order=asc|desc]', not '"
                    + LogSafe.of(header, 80) + "'");
        }
        String first = dots < 0 ? "" : bounds.substring(0, dots).strip();
        String last = dots < 0 ? "" : bounds.substring(dots + 2).strip();
        boolean after = first.startsWith("]");
        if (after) {
            first = first.substring(1);
        }
        int max = DEFAULT_SIZE;
        String order = null;
        for (String option : options.isEmpty() ? new String[0] : options.split(",")) {
            String[] pair = option.strip().split("=", 2);
            if (pair.length == 2 && pair[0].strip().equals("max")) {
                max = size(pair[1], "max");
            } else if (pair.length == 2 && pair[0].strip().equals("order")) {
                order = pair[1].strip();
            } else {
                throw new Invalid(400, "a Range takes max=n and order=asc|desc, not '" + LogSafe.of(option, 40) + "'");
            }
        }
        return new Request(first.isEmpty() ? null : first, after, last.isEmpty() ? null : last, max,
                direction(order, "order"), true);
    }

    private boolean direction(String order, String what) {
        if (order == null || order.isEmpty()) {
            return descending;
        }
        if (order.equals("asc") || order.equals("desc")) {
            return order.equals("desc");
        }
        throw new Invalid(400, what + " must be asc or desc, not '" + LogSafe.of(order, 40) + "'");
    }

    private static int size(String text, String what) {
        int size;
        try {
            size = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new Invalid(400, what + " must be a whole number from 1 to " + MAX_SIZE + ", not '"
                    + LogSafe.of(text, 40) + "'");
        }
        return size;
    }

    private static String cursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String uncursor(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Invalid(400, "the cursor '" + LogSafe.of(cursor, 40) + "' is not one this API gave: use the "
                    + "Next-Cursor of the page before");
        }
    }
}
