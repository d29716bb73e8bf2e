# 512 rules on one field, which once hung durable_rules: now valid.
head: "actions:\n  - {id: hostile-a, title: A, do: d, evidence: e, done_when: w, effort: low, impact: 3}\nrules:\n"
repeat: "  - {id: at-least-{n}, title: t, cites: S, when: {field: goal.horizon_months, at_least: {n}}, then: [{recommend: hostile-a}]}\n"
times: 512
tail: ""
