// Progressive enhancement only: a form with photos says at once when more photos are chosen
// than it takes (data-max-files, counted over all its photo fields, as the server counts them),
// and will not send them. Without this script the server answers the same with the form kept.
(function () {
  function check(form) {
    var inputs = form.querySelectorAll('input[type=file][data-max-files]');
    var total = 0;
    for (var i = 0; i < inputs.length; i++) total += inputs[i].files ? inputs[i].files.length : 0;
    for (var j = 0; j < inputs.length; j++) {
      var input = inputs[j];
      var over = total > Number(input.getAttribute('data-max-files')) && input.files.length > 0;
      var message = over ? input.getAttribute('data-too-many') : '';
      input.setCustomValidity(message);
      var note = input.parentNode.querySelector('[data-photo-count]');
      if (!note) {
        note = document.createElement('p');
        note.className = 'field-error';
        note.setAttribute('data-photo-count', '');
        note.setAttribute('role', 'alert');
        input.parentNode.appendChild(note);
      }
      note.textContent = message;
      note.hidden = !over;
      input.parentNode.classList.toggle('invalid', over);
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var inputs = document.querySelectorAll('input[type=file][data-max-files]');
    for (var i = 0; i < inputs.length; i++) {
      inputs[i].addEventListener('change', function () { check(this.form); });
    }
  });
})();
