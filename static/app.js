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
