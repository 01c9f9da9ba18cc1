// Progressive enhancement only: every page works without this file.
(function () {
  function on(sel, ev, fn) {
    var els = document.querySelectorAll(sel);
    for (var i = 0; i < els.length; i++) els[i].addEventListener(ev, fn);
  }
  document.addEventListener('DOMContentLoaded', function () {
    on('[data-print]', 'click', function () { window.print(); });
    on('form[data-confirm]', 'submit', function (e) {
      if (!window.confirm(this.getAttribute('data-confirm'))) e.preventDefault();
    });
    // Attendance: one click marks every member present, or not expected (a committee meeting
    // or a visit involves a few of the branch's members), before the exceptions are set.
    var all = document.getElementById('attendance-all');
    if (all) {
      all.hidden = false;
      on('[data-set-all]', 'click', function () {
        var code = this.getAttribute('data-set-all');
        var radios = document.querySelectorAll('#attendance input[type=radio][value="' + code + '"]');
        for (var i = 0; i < radios.length; i++) radios[i].checked = true;
      });
    }
    // The org tree: the name filter (a GET form without script) narrows the communities and
    // grids in place as one types; the units above them stay for context.
    var treeQ = document.getElementById('tree-q');
    if (treeQ) {
      var folds = document.querySelectorAll('details.tree-fold');
      for (var f = 0; f < folds.length; f++) folds[f].dataset.open = folds[f].open ? '1' : '';
      treeQ.addEventListener('input', function () {
        var q = treeQ.value.trim();
        for (var i = 0; i < folds.length; i++) {
          var d = folds[i], head = d.dataset.name.indexOf(q) >= 0, any = false;
          var rows = d.querySelectorAll('tbody tr');
          for (var r = 1; r < rows.length; r++) {
            var hit = !q || head || rows[r].dataset.name.indexOf(q) >= 0;
            rows[r].hidden = !hit;
            any = any || (q && hit);
          }
          d.hidden = !!q && !head && !any;
          d.open = q ? true : d.dataset.open === '1';
        }
      });
    }
    // A second click on a submit button while the first request runs sends nothing more.
    on('form', 'submit', function () {
      var form = this;
      setTimeout(function () {
        var bs = form.querySelectorAll('button[type=submit]');
        for (var i = 0; i < bs.length; i++) bs[i].disabled = true;
      }, 0);
    });
  });
})();
