//! The agent's view against a real database: staff see and change only their partner's orders
//! and snapshots; customers and guests cannot reach `/api/agent`.

mod common;

use common::smtp::Sink;
use common::{order_body, premium, register, signed_in, staff, TestServer};
use serde_json::{json, Value};

/// A customer's order at `location`; returns its number.
async fn order_at(s: &TestServer, customer: &reqwest::Client, location: &str, key: &str) -> String {
    let mut body = order_body();
    body["location_id"] = json!(location);
    let r = customer
        .post(s.url("/api/orders"))
        .header("idempotency-key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["number"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn get(s: &TestServer, client: &reqwest::Client, path: &str) -> (u16, Value) {
    let r = client.get(s.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn set_status(
    s: &TestServer,
    client: &reqwest::Client,
    number: &str,
    from: &str,
    to: &str,
) -> (u16, Value) {
    let r = client
        .post(s.url(&format!("/api/agent/orders/{number}/status")))
        .json(&json!({ "from": from, "to": to }))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn customers_and_guests_cannot_reach_agent_endpoints() {
    let s = common::spawn().await;
    register(&s, &s.client, "erika").await;
    let number = order_at(&s, &s.client, "hamburg-01", "key-cust-00001").await;
    let guest = s.new_client();
    for path in ["/api/agent/me", "/api/agent/orders", "/api/agent/handovers"] {
        let (status, e) = get(&s, &s.client, path).await;
        assert_eq!(status, 403, "{path}: {e}");
        assert!(e["message"].as_str().unwrap().contains("staff"), "{e}");
        assert_eq!(get(&s, &guest, path).await.0, 401, "{path}");
    }
    // Not even on their own order.
    assert_eq!(
        set_status(&s, &s.client, &number, "received", "confirmed")
            .await
            .0,
        403
    );
    assert_eq!(
        set_status(&s, &guest, &number, "received", "confirmed")
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn staff_see_only_their_partners_orders_and_snapshots_newest_first() {
    let s = common::spawn().await;
    register(&s, &s.client, "erika").await;
    let first = order_at(&s, &s.client, "hamburg-01", "key-ham-000001").await;
    let munich = order_at(&s, &s.client, "muenchen-01", "key-muc-000001").await;
    let second = order_at(&s, &s.client, "hamburg-03", "key-ham-000002").await;
    for location in ["hamburg-02", "muenchen-01"] {
        let r = s
            .client
            .post(s.url("/api/handovers"))
            .json(&json!({ "code": premium().0, "step": "summary", "location_id": location, "channel": "store" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }

    let hamburg = staff(&s, "anna", "P01").await;
    let (_, me) = get(&s, &hamburg, "/api/agent/me").await;
    assert_eq!(me["partner"]["id"], "P01");
    assert_eq!(me["locations"].as_array().unwrap().len(), 4);

    let (status, page) = get(&s, &hamburg, "/api/agent/orders").await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 2);
    assert_eq!(
        (page["page"].as_i64(), page["per_page"].as_i64()),
        (Some(1), Some(20))
    );
    let orders = &page["orders"];
    let numbers: Vec<&str> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["number"].as_str().unwrap())
        .collect();
    // Newest first; orders within one second keep a stable order, so compare as sets too.
    assert_eq!(numbers.len(), 2, "{numbers:?}");
    assert!(numbers.contains(&first.as_str()) && numbers.contains(&second.as_str()));
    assert!(!numbers.contains(&munich.as_str()));
    let created: Vec<i64> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["created_at"].as_i64().unwrap())
        .collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "{created:?}");
    assert_eq!(orders[0]["status"], "received");
    assert_eq!(orders[0]["next"], json!(["confirmed", "cancelled"]));
    assert_eq!(orders[0]["order"]["customer"]["last_name"], "Mustermann");

    let (_, snapshots) = get(&s, &hamburg, "/api/agent/handovers").await;
    assert_eq!(snapshots["total"], 1);
    let snapshots = snapshots["handovers"].as_array().unwrap();
    assert_eq!(snapshots.len(), 1);
    assert_eq!(snapshots[0]["location_id"], "hamburg-02");
    assert_eq!(snapshots[0]["price"], premium().1);

    // Munich's partner sees Munich's only, and cannot read or change Hamburg's.
    let munich_staff = staff(&s, "bernd", "P32").await;
    let (_, theirs) = get(&s, &munich_staff, "/api/agent/orders").await;
    assert_eq!(theirs["orders"].as_array().unwrap().len(), 1);
    assert_eq!(theirs["orders"][0]["number"], munich);
    let (status, e) = set_status(&s, &munich_staff, &first, "received", "confirmed").await;
    assert_eq!(status, 404, "{e}");
    let (_, mine) = get(&s, &s.client, &format!("/api/orders/{first}")).await;
    assert_eq!(
        mine["status"], "received",
        "another partner changed nothing"
    );
}

#[tokio::test]
async fn staff_move_an_order_along_the_status_model() {
    let s = common::spawn().await;
    register(&s, &s.client, "erika").await;
    let number = order_at(&s, &s.client, "hamburg-01", "key-status-0001").await;
    let anna = staff(&s, "anna", "P01").await;

    // Skipping a status is refused, naming the field and why.
    let (status, e) = set_status(&s, &anna, &number, "received", "in_production").await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(
        (e["field"].as_str(), e["problem"].as_str()),
        (Some("to"), Some("not_allowed")),
        "{e}"
    );

    let path = [
        "received",
        "confirmed",
        "assigned_to_agent",
        "in_production",
        "ready_for_handover",
        "handed_over",
    ];
    for w in path.windows(2) {
        let (status, o) = set_status(&s, &anna, &number, w[0], w[1]).await;
        assert_eq!(status, 200, "{o}");
        assert_eq!(o["status"], w[1]);
    }
    // Handed over is final: no cancel.
    let (status, _) = set_status(&s, &anna, &number, "handed_over", "cancelled").await;
    assert_eq!(status, 422);

    // The customer sees every step, in order; who made it and the staff's notes are for staff
    // only (issue 34), in the single order and in the list.
    let (_, mine) = get(&s, &s.client, &format!("/api/orders/{number}")).await;
    assert_eq!(mine["status"], "handed_over");
    let history: Vec<&str> = mine["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, path);
    let (_, list) = get(&s, &s.client, "/api/orders").await;
    for shown in [mine.to_string(), list.to_string()] {
        assert!(!shown.contains("anna@agent.example.de"), "{shown}");
    }
    let (_, desk) = get(&s, &anna, &format!("/api/agent/orders?q={number}")).await;
    assert!(desk.to_string().contains("anna@agent.example.de"), "{desk}");
    let events = server::storage::orders::outbox(&s.db, domain::order::Topic::OrderStatusChanged)
        .await
        .unwrap();
    assert_eq!(events.len(), 5);
    assert_eq!(events[4]["to"], "handed_over");
}

#[tokio::test]
async fn a_stale_status_change_is_refused_and_a_cancel_works_before_handover() {
    let s = common::spawn().await;
    register(&s, &s.client, "erika").await;
    let number = order_at(&s, &s.client, "hamburg-01", "key-stale-00001").await;
    let anna = staff(&s, "anna", "P01").await;
    let carl = staff(&s, "carl", "P01").await;
    assert_eq!(
        set_status(&s, &anna, &number, "received", "confirmed")
            .await
            .0,
        200
    );
    // Carl's screen still showed "received".
    let (status, e) = set_status(&s, &carl, &number, "received", "confirmed").await;
    assert_eq!(status, 409, "{e}");
    assert_eq!(e["current"]["status"], "confirmed");
    // A cancellation needs the reason the customer will be told (issue 33).
    let (status, e) = set_status(&s, &carl, &number, "confirmed", "cancelled").await;
    assert_eq!(status, 422, "{e}");
    assert_eq!(
        (e["field"].as_str(), e["problem"].as_str()),
        (Some("reason"), Some("required"))
    );
    let r = carl
        .post(s.url(&format!("/api/agent/orders/{number}/status")))
        .json(&json!({ "from": "confirmed", "to": "cancelled", "note": "Kunde rief an", "reason": "Das Fahrzeug ist in dieser Ausstattung nicht mehr lieferbar." }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let o: Value = r.json().await.unwrap();
    assert!(o["next"].as_array().unwrap().is_empty());
    // The customer reads the reason, not the staff's note or name.
    let (_, mine) = get(&s, &s.client, &format!("/api/orders/{number}")).await;
    let last = mine["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["status"], "cancelled");
    assert_eq!(
        last["reason"],
        "Das Fahrzeug ist in dieser Ausstattung nicht mehr lieferbar."
    );
    assert_eq!(last["note"], "");
    let mails = server::storage::orders::outbox(&s.db, domain::order::Topic::Cancellation)
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0]["reason"],
        "Das Fahrzeug ist in dieser Ausstattung nicht mehr lieferbar."
    );
    let changes = server::storage::orders::outbox(&s.db, domain::order::Topic::OrderStatusChanged)
        .await
        .unwrap();
    assert_eq!(
        changes.last().unwrap()["reason"],
        "Das Fahrzeug ist in dieser Ausstattung nicht mehr lieferbar."
    );
    // Unknown order numbers are simply not found.
    assert_eq!(
        set_status(&s, &anna, "S1-ZZZZ-ZZZZ", "received", "confirmed")
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn staff_accounts_are_provisioned_by_the_server_command() {
    let s = common::spawn().await;
    let run = |email: &str, partner: &str, password: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
        cmd.args(["staff-add", "--email", email, "--partner", partner])
            .env("DATABASE_URL", &s.database_url)
            .env_remove("STAFF_PASSWORD");
        if let Some(p) = password {
            cmd.env("STAFF_PASSWORD", p);
        }
        cmd.output().unwrap()
    };
    let out = run(
        "dora@agent.example.de",
        "P99",
        Some("correct horse battery"),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown partner"));
    let out = run("dora@agent.example.de", "P01", None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("STAFF_PASSWORD"));
    let out = run(
        "dora@agent.example.de",
        "P01",
        Some("correct horse battery"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let dora = signed_in(&s, "dora@agent.example.de").await;
    let (_, me) = get(&s, &dora, "/api/me").await;
    assert_eq!(me["staff_partner"], "P01");
    assert_eq!(get(&s, &dora, "/api/agent/orders").await.0, 200);
}

#[tokio::test]
async fn staff_find_orders_by_number_name_and_status_page_by_page() {
    let s = common::spawn().await;
    register(&s, &s.client, "erika").await;
    let mut numbers = Vec::new();
    for i in 0..5 {
        let mut body = common::order_body();
        body["location_id"] = json!("hamburg-01");
        if i == 3 {
            body["customer"]["last_name"] = json!("Müller_100%");
        }
        let r = s
            .client
            .post(s.url("/api/orders"))
            .header("idempotency-key", format!("key-find-{i:05}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        numbers.push(
            r.json::<Value>().await.unwrap()["number"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let anna = staff(&s, "anna", "P01").await;
    let found = |q: String| {
        let anna = anna.clone();
        let s = &s;
        async move { get(s, &anna, &format!("/api/agent/orders?{q}")).await }
    };
    // By a part of the number, in any case, with or without the prefix.
    let part = numbers[2][3..7].to_lowercase();
    let (status, page) = found(format!("q={part}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["orders"][0]["number"], numbers[2]);
    // By the name, also with LIKE's own characters taken literally.
    let (_, page) = found("q=M%C3%BCLLER_100%25".into()).await;
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["orders"][0]["number"], numbers[3]);
    let (_, page) = found("q=100_".into()).await;
    assert_eq!(page["total"], 0, "{page}");
    let (_, page) = found("q=mustermann".into()).await;
    assert_eq!(page["total"], 4);
    // Pages of two: every order once, newest first, the last page short.
    let mut seen = Vec::new();
    for p in 1..=3 {
        let (_, page) = found(format!("per_page=2&page={p}")).await;
        assert_eq!(page["total"], 5);
        let orders = page["orders"].as_array().unwrap();
        assert_eq!(orders.len(), if p == 3 { 1 } else { 2 });
        assert!(orders
            .iter()
            .all(|o| o["history"].as_array().unwrap().len() == 1));
        seen.extend(
            orders
                .iter()
                .map(|o| o["number"].as_str().unwrap().to_string()),
        );
    }
    seen.sort();
    let mut all = numbers.clone();
    all.sort();
    assert_eq!(seen, all);
    // By status.
    let (status, _) = set_status(&s, &anna, &numbers[0], "received", "confirmed").await;
    assert_eq!(status, 200);
    let (_, page) = found("status=confirmed".into()).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["orders"][0]["number"], numbers[0]);
    assert_eq!(page["orders"][0]["history"].as_array().unwrap().len(), 2);
    // Out of range: a clear 400.
    for bad in [
        "page=0",
        "per_page=0",
        "per_page=101",
        "status=shipped",
        "page=x",
    ] {
        let (status, e) = found(bad.into()).await;
        assert_eq!(status, 400, "{bad}: {e}");
        assert!(e["message"].as_str().is_some(), "{bad}: {e}");
    }
}

#[tokio::test]
async fn only_staff_of_the_screens_agent_end_its_store_mode() {
    let s = common::spawn().await;
    staff(&s, "anna", "P01").await;
    register(&s, &s.client, "erika").await;
    let screen = s.new_client();
    let unlock = |email: &str, password: &str, location: &str| {
        screen
            .post(s.url("/api/agent/screen/unlock"))
            .header("x-requested-with", "smart1-app")
            .json(&json!({ "email": email, "password": password, "location_id": location }))
            .send()
    };
    let r = unlock(
        "anna@agent.example.de",
        "correct horse battery",
        "hamburg-01",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 204);
    assert!(
        common::session_cookie(&r).is_none(),
        "the screen gets no session"
    );
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(
        status(
            unlock("anna@agent.example.de", "wrong password!", "hamburg-01")
                .await
                .unwrap()
        ),
        401
    );
    // Staff of another agent, and customers, may not.
    assert_eq!(
        status(
            unlock(
                "anna@agent.example.de",
                "correct horse battery",
                "muenchen-01"
            )
            .await
            .unwrap()
        ),
        403
    );
    assert_eq!(
        status(
            unlock("erika@example.de", "correct horse battery", "hamburg-01")
                .await
                .unwrap()
        ),
        403
    );
    assert_eq!(
        status(
            unlock("anna@agent.example.de", "correct horse battery", "nowhere")
                .await
                .unwrap()
        ),
        404
    );
}

/// Issue 34: a NUL in the search matched every order on SQLite (LIKE stops at it) and was a
/// database error on PostgreSQL; it is refused the same way on both.
#[tokio::test]
async fn a_search_with_control_characters_is_refused_on_every_database() {
    let s = common::spawn().await;
    register(&s, &s.client, "erika").await;
    order_at(&s, &s.client, "hamburg-01", "key-nul-00001").await;
    let anna = staff(&s, "anna", "P01").await;
    for q in ["%00", "ab%00cd", "%0A", "%1B"] {
        for list in ["orders", "handovers"] {
            let (status, e) = get(&s, &anna, &format!("/api/agent/{list}?q={q}")).await;
            assert_eq!(status, 400, "{list} {q}: {e}");
            assert_eq!(e["error"], "bad_request");
        }
    }
}

/// Finding 4 of issue 34: a customer cannot make a store order, name an advisor or make a store
/// snapshot or saved car by saying so; a screen a staff member of the location's agent put into
/// store mode can, and the advisor is that staff member. Ending store mode ends it.
#[tokio::test]
async fn only_a_screen_staff_put_into_store_mode_orders_as_the_store() {
    let s = common::spawn().await;
    staff(&s, "anna", "P01").await;
    register(&s, &s.client, "erika").await;
    let (code, _) = premium();
    let claim = |body: &mut Value| {
        body["channel"] = json!("store");
        body["staff"] = json!("Max Advisor (any name)");
    };
    let order = |client: reqwest::Client, key: &'static str| {
        let mut body = order_body();
        body["location_id"] = json!("hamburg-02");
        claim(&mut body);
        let url = s.url("/api/orders");
        async move {
            let r = client
                .post(url)
                .header("idempotency-key", key)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()
        }
    };
    let snapshot = |client: reqwest::Client| {
        let url = s.url("/api/handovers");
        let body = json!({ "code": code, "step": "exterior", "location_id": "hamburg-02", "channel": "store" });
        async move {
            let r = client.post(url).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()
        }
    };
    let save = |client: reqwest::Client| {
        let url = s.url("/api/configurations");
        let body = json!({ "name": "Mine", "code": code, "step": "exterior", "channel": "store" });
        async move {
            let r = client.post(url).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 201);
            r.json::<Value>().await.unwrap()
        }
    };

    // A customer's claim counts for nothing.
    let o = order(s.client.clone(), "key-claim-0001").await;
    assert_eq!(o["order"]["channel"], "web");
    assert_eq!(o["order"]["staff"], Value::Null);
    assert_eq!(snapshot(s.new_client()).await["channel"], "web");
    assert_eq!(save(s.client.clone()).await["channel"], "web");
    let screen = s.new_client();
    assert_eq!(
        get(&s, &screen, "/api/screen").await.1["screen"],
        Value::Null
    );

    // Staff of another agent cannot set the screen up; a customer cannot either.
    let activate = |email: &str, location: &str| {
        screen
            .post(s.url("/api/agent/screen/activate"))
            .json(&json!({ "email": email, "password": "correct horse battery", "location_id": location }))
            .send()
    };
    assert_eq!(
        activate("anna@agent.example.de", "kiel-01")
            .await
            .unwrap()
            .status(),
        403
    );
    assert_eq!(
        activate("erika@example.de", "hamburg-02")
            .await
            .unwrap()
            .status(),
        403
    );
    let r = activate("anna@agent.example.de", "hamburg-02")
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        common::session_cookie(&r).is_none(),
        "the screen gets no staff session"
    );
    let state: Value = r.json().await.unwrap();
    assert_eq!(state["location_id"], "hamburg-02");
    assert_eq!(
        get(&s, &screen, "/api/screen").await.1["screen"]["advisor"],
        "anna@agent.example.de"
    );

    // On the screen a customer signs in and orders: the store, and the advisor is Anna.
    let r = screen
        .post(s.url("/api/auth/login"))
        .json(&json!({ "email": "erika@example.de", "password": "correct horse battery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let o = order(screen.clone(), "key-screen-0001").await;
    assert_eq!(o["order"]["channel"], "store");
    assert_eq!(o["order"]["staff"], "anna@agent.example.de");
    assert_eq!(snapshot(screen.clone()).await["channel"], "store");
    assert_eq!(save(screen.clone()).await["channel"], "store");

    // Staff end store mode: from then on the screen is the web again.
    let r = screen
        .post(s.url("/api/agent/screen/unlock"))
        .json(&json!({ "email": "anna@agent.example.de", "password": "correct horse battery", "location_id": "hamburg-02" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        get(&s, &screen, "/api/screen").await.1["screen"],
        Value::Null
    );
    assert_eq!(
        order(screen.clone(), "key-screen-0002").await["order"]["channel"],
        "web"
    );
}

/// On a showroom screen a customer orders without signing in, so nobody types a password on a
/// public screen: the order is the store's, it goes to the account of the address given (made
/// without a password, which no sign-in can guess), and the confirmation mailed there carries a
/// link to choose a password; with it the customer sees the order on their own device. An
/// address that has an account gets its order there, with no such link. Away from a screen an
/// order still needs a sign-in.
#[tokio::test]
async fn on_a_store_screen_a_customer_orders_without_a_password() {
    let mut sink = Sink::start().await;
    let url = sink.url.clone();
    let s = common::spawn_with(move |c| {
        c.mail.smtp_url = Some(url);
        c.relay.poll_ms = 50;
    })
    .await;
    staff(&s, "anna", "P01").await;
    let screen = s.new_client();
    let r = screen
        .post(s.url("/api/agent/screen/activate"))
        .json(&json!({ "email": "anna@agent.example.de", "password": "correct horse battery", "location_id": "hamburg-02" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut body = order_body();
    body["location_id"] = json!("hamburg-02");
    body["customer"]["email"] = json!("Jonas.Neu@Example.de");
    let order = |client: &reqwest::Client, key: &str| {
        client
            .post(s.url("/api/orders"))
            .header("idempotency-key", key)
            .json(&body)
            .send()
    };

    // A browser that is no screen must sign in.
    assert_eq!(
        order(&s.new_client(), "key-guest-web-01")
            .await
            .unwrap()
            .status(),
        401
    );

    let r = order(&screen, "key-guest-store-01").await.unwrap();
    assert_eq!(r.status(), 201);
    let placed: Value = r.json().await.unwrap();
    assert_eq!(placed["order"]["channel"], "store");
    assert_eq!(placed["order"]["staff"], "anna@agent.example.de");
    let number = placed["number"].as_str().unwrap().to_string();
    // A retry answers the same order.
    let r = order(&screen, "key-guest-store-01").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["number"], number.as_str());
    // The screen got no session, and the new account has no password anyone could use.
    assert_eq!(get(&s, &screen, "/api/me").await.1["user"], Value::Null);
    for password in ["", "correct horse battery"] {
        let r = s
            .new_client()
            .post(s.url("/api/auth/login"))
            .json(&json!({ "email": "jonas.neu@example.de", "password": password }))
            .send()
            .await
            .unwrap();
        assert!(
            r.status() == 401 || r.status() == 422,
            "{password:?}: {}",
            r.status()
        );
    }

    // The confirmation goes to the address given, with a link to choose a password.
    let mail = sink.next().await;
    assert_eq!(mail.to, "jonas.neu@example.de");
    let text = mail.part("text/plain").unwrap();
    assert!(
        text.contains(&number) && text.contains("ohne Passwort"),
        "{text}"
    );
    let token = mail.reset_token().expect("a link to choose a password");
    let phone = s.new_client();
    let r = phone
        .post(s.url("/api/auth/reset"))
        .json(&json!({ "token": token, "password": "violet tractor quietly hums" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Signed in on their own device, the customer sees the order.
    let (status, mine) = get(&s, &phone, "/api/orders").await;
    assert_eq!(status, 200);
    assert!(mine.to_string().contains(&number), "{mine}");

    // Now the account has a password: the next store order's mail carries no such link.
    let r = order(&screen, "key-guest-store-02").await.unwrap();
    assert_eq!(r.status(), 201);
    let mail = sink.next().await;
    assert_eq!(mail.to, "jonas.neu@example.de");
    assert_eq!(mail.reset_token(), None);
    let (_, mine) = get(&s, &phone, "/api/orders").await;
    assert_eq!(mine.as_array().map(Vec::len), Some(2), "{mine}");
}

/// Forty orders at once from showroom screens for one new address: each is placed, and all go
/// into the one account the first of them made (the address is unique; the others find it).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn forty_store_orders_at_once_for_a_new_address_make_one_account() {
    let s = common::spawn().await;
    staff(&s, "anna", "P01").await;
    let screen = s.new_client();
    let r = screen
        .post(s.url("/api/agent/screen/activate"))
        .json(&json!({ "email": "anna@agent.example.de", "password": "correct horse battery", "location_id": "hamburg-02" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let mut body = order_body();
    body["location_id"] = json!("hamburg-02");
    body["customer"]["email"] = json!("forty@example.de");
    let placed = futures::future::join_all((0..40).map(|i| {
        screen
            .post(s.url("/api/orders"))
            .header("idempotency-key", format!("key-forty-{i:04}"))
            .json(&body)
            .send()
    }))
    .await;
    for r in placed {
        assert_eq!(r.unwrap().status(), 201);
    }
    let owners: Vec<(String,)> = sqlx::query_as(
        "SELECT DISTINCT o.user_id FROM orders o JOIN users u ON u.id = o.user_id \
         WHERE u.email = 'forty@example.de'",
    )
    .fetch_all(s.db.pool())
    .await
    .unwrap();
    assert_eq!(owners.len(), 1, "{owners:?}");
    let count: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM orders WHERE user_id = $1")
        .bind(&owners[0].0)
        .fetch_one(s.db.pool())
        .await
        .unwrap();
    assert_eq!(count.0, 40);
}

#[tokio::test]
async fn a_store_url_for_a_location_that_does_not_exist_is_404() {
    let s = common::spawn().await;
    for (path, status) in [
        ("/store/hamburg-02", 200),
        ("/store/anything", 404),
        ("/store/hamburg-02x", 404),
    ] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
    }
}
