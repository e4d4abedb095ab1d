/* The graph explorer's panels (web/static/explorer.js draws the graph): the Chinese names of
   relationship types, roles and kinds, and the beneficial-owner and related-party panels with
   every percentage and its arithmetic. window.explorerPanels. */
(function () {
  "use strict";

  const TYPE_TEXT = {
    HOLDS_SHARES: "持股", LEGAL_REPRESENTATIVE_OF: "法定代表人", PRINCIPAL_OF: "负责人",
    OFFICER_OF: "董监高", PRACTITIONER_AT: "从业人员", CONTROLS: "实际控制",
    BRANCH_OF: "分支机构", LOCATED_AT: "住所", REACHABLE_AT: "电话",
  };
  const ROLE_TEXT = {
    LEGAL_REPRESENTATIVE: "法定代表人", PRINCIPAL: "负责人", DIRECTOR: "董事", SUPERVISOR: "监事",
    SENIOR_MANAGER: "高级管理人员", PRACTITIONER: "从业人员", ACTUAL_CONTROLLER: "实际控制人",
    SHAREHOLDER: "股东",
  };
  const KIND_TEXT = { ENTERPRISE: "企业", PERSON: "自然人", ADDRESS: "地址", PHONE: "电话" };
  const RELATION_TEXT = {
    LEGAL_REPRESENTATIVE: "同一法定代表人", PRINCIPAL: "同一负责人", OFFICER: "同一董监高",
    SHAREHOLDER: "同一股东", DECLARED_CONTROLLER: "同一实际控制人", SAME_PARTY: "同一人(不同职务)",
    ADDRESS: "同一地址", PHONE: "同一电话", HOLDS_SHARES_IN: "持有其股份", HELD_BY: "被其持股",
    CONTROLS: "控制", CONTROLLED_BY: "被其控制",
  };
  const BASIS_TEXT = { OWNERSHIP: "持股", CONTROL: "实际控制", MANAGEMENT: "高级管理(兜底)" };
  function pct(x) { return x === null || x === undefined ? "—" : `${Math.round(x * 1e6) / 1e4}%`; }

  function chainText(path, subjectName) {
    // steps run from the subject outwards: step 1's holder holds the subject
    const names = [subjectName];
    const shares = [];
    for (const s of path.steps) {
      names.push(s.holder.name);
      shares.push(pct(s.share));
    }
    const chain = names.map((n, i) => (i === 0 ? n : `← ${shares[i - 1]} ← ${n}`)).join(" ");
    const arithmetic = shares.length > 1 ? `${shares.join(" × ")} = ${pct(path.share)}` : pct(path.share);
    return `${chain}:${arithmetic}`;
  }

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function arithmetic(paths, total, subjectName) {
    const ul = el("ul", undefined, "arithmetic");
    for (const p of paths) ul.append(el("li", chainText(p, subjectName)));
    if (paths.length > 1) {
      ul.append(el("li", `合计:${paths.map((p) => pct(p.share)).join(" + ")} = ${pct(total)}`, "sum"));
    }
    return ul;
  }

  function treeView(list, subjectName) {
    const children = new Map();
    for (const n of list) {
      const key = n.parentId === null ? "root" : n.parentId;
      if (!children.has(key)) children.set(key, []);
      children.get(key).push(n);
    }
    const byId = new Map(list.map((n) => [n.id, n]));
    function branch(parentKey) {
      const ul = el("ul", undefined, "tree");
      for (const n of children.get(parentKey) || []) {
        const parent = n.parentId === null ? null : byId.get(n.parentId);
        let text = n.subject.name;
        if (n.share !== null) {
          const math = parent && parent.parentId !== null
            ? `${pct(parent.cumulativeShare)} × ${pct(n.share)} = ${pct(n.cumulativeShare)}`
            : pct(n.cumulativeShare);
          text += `:持有上级 ${pct(n.share)},穿透 ${math}`;
          if (Math.abs(n.totalShare - n.cumulativeShare) > 1e-9) text += `(各分支合计 ${pct(n.totalShare)})`;
        }
        const li = el("li", text);
        if (children.has(n.id)) li.append(branch(n.id));
        ul.append(li);
      }
      return ul;
    }
    if (!list.length) return el("p", `${subjectName}:无持股记录。`);
    return branch("root");
  }

  // Beneficial owners, holders at or above the threshold, controllers and the upward tree
  // (the answer of owners.graphql) into ``box``; ``name``: the enterprise's name.
  function owners(box, data, name) {
    const a = data.beneficialOwners;
    const tree = data.ownershipTree;
    box.replaceChildren();
    if (!a.found) { box.append(el("p", "没有找到该企业。")); return; }
    box.append(el("p", `${name}:截至 ${a.asOf},阈值 ${pct(a.threshold)}(含)。` +
      (a.truncated ? `结果已截断(truncated:${a.truncation.join("、")})。` : "")));
    for (const w of a.warnings) box.append(el("p", `数据提示:${w}`, "warning"));
    box.append(el("h3", "受益所有人"));
    const bo = el("ol", undefined, "owners-list");
    for (const b of a.beneficialOwners) {
      const li = el("li");
      li.append(el("strong", `${b.person.name}(${b.person.idNumber})`));
      li.append(el("span", `  依据:${BASIS_TEXT[b.basis] || b.basis}${b.role ? `(${ROLE_TEXT[b.role] || b.role})` : ""}` +
        `;穿透持股合计 ${pct(b.effectiveShare)}`));
      li.append(arithmetic(b.paths, b.effectiveShare, name));
      bo.append(li);
    }
    if (!a.beneficialOwners.length) bo.append(el("li", "无"));
    box.append(bo);
    box.append(el("h3", `达到阈值的全部持有人(含企业)`));
    const ow = el("ol", undefined, "owners-list");
    for (const o of a.owners) {
      const li = el("li");
      const ident = o.holder.__typename === "Enterprise" ? o.holder.uscc : o.holder.idNumber;
      li.append(el("strong", `${o.holder.name}(${ident})`));
      li.append(el("span", `  穿透持股合计 ${pct(o.effectiveShare)}${o.ultimate ? ",最终持有人" : ""}`));
      li.append(arithmetic(o.paths, o.effectiveShare, name));
      ow.append(li);
    }
    box.append(ow);
    if (a.actualControllers.length) {
      box.append(el("h3", "实际控制人"));
      const ul = el("ul");
      for (const c of a.actualControllers) {
        ul.append(el("li", `${c.holder.name}:${c.inferred ? "疑似(按穿透持股 > 50% 推定)" : "登记"}` +
          (c.effectiveShare !== null ? `,穿透持股 ${pct(c.effectiveShare)}` : "")));
      }
      box.append(ul);
    }
    box.append(el("h3", "股权穿透树(向上)"));
    box.append(treeView(tree.nodes, name));
    if (tree.truncated) box.append(el("p", "穿透树已截断(truncated)。", "truncated"));
  }

  // Related parties (the answer of related.graphql) as a table into ``box``.
  function related(box, data) {
    const r = data.relatedParties;
    box.replaceChildren();
    box.append(el("p", `截至 ${r.asOf},共 ${r.parties.length} 个关联企业` + (r.truncated ? "(已截断,truncated)" : "") + "。"));
    const table = el("table");
    const head = el("tr");
    for (const h of ["关联企业", "关联方式", "经由"]) head.append(el("th", h));
    table.append(head);
    for (const p of r.parties) {
      const tr = el("tr");
      const cell = el("td");
      const a = el("a", p.enterprise.name);
      a.href = `/workbench/explorer?subject=E:${encodeURIComponent(p.enterprise.uscc)}`;
      cell.append(a, el("div", p.enterprise.uscc, "muted"));
      tr.append(cell, el("td", p.kinds.map((k) => RELATION_TEXT[k] || k).join("、")));
      const via = p.links.map((l) => {
        const who = l.via ? l.via.name : (l.address || l.phone || "");
        const roles = [l.roleHere && `此处${ROLE_TEXT[l.roleHere] || l.roleHere}${l.shareHere !== null ? " " + pct(l.shareHere) : ""}`,
          l.roleThere && `彼处${ROLE_TEXT[l.roleThere] || l.roleThere}${l.shareThere !== null ? " " + pct(l.shareThere) : ""}`]
          .filter(Boolean).join(",");
        return `${who}${roles ? `(${roles})` : ""}`;
      });
      tr.append(el("td", via.join(";")));
      table.append(tr);
    }
    box.append(table);
  }

  window.explorerPanels = {
    TYPE_TEXT, ROLE_TEXT, KIND_TEXT, pct, owners, related,
  };
})();
