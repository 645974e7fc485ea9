// Forms: before a form is sent, an error summary (the GOV.UK pattern) lists each answer to
// fix, linked to its field, and is announced at once; each field says what is wrong with it.
// Without this script the browser's own checks stop the form and say so.
(function () {
  document.querySelectorAll('form[data-form]').forEach(function (form) {
    form.noValidate = true;
    var fields = [].filter.call(form.querySelectorAll('input, textarea'), function (field) {
      return field.type !== 'hidden' && !field.closest('.form-trap');
    });

    var clear = function () {
      form.querySelectorAll('.error-summary, .field-error').forEach(function (el) { el.remove(); });
      fields.forEach(function (field) {
        field.removeAttribute('aria-invalid');
        field.removeAttribute('aria-describedby');
        var box = field.closest('.field');
        if (box) box.classList.remove('field-invalid');
      });
    };

    var message = function (field) {
      if (field.validity.valueMissing) return field.getAttribute('data-error-missing');
      return field.getAttribute('data-error-invalid') || field.getAttribute('data-error-missing');
    };

    form.addEventListener('submit', function (event) {
      clear();
      var problems = fields.filter(function (field) { return !field.checkValidity(); });
      if (problems.length === 0) return;
      event.preventDefault();
      var summary = document.createElement('div');
      summary.className = 'error-summary';
      summary.setAttribute('role', 'alert');
      summary.tabIndex = -1;
      var title = document.createElement('h2');
      title.id = form.id + '-problems';
      title.textContent = form.getAttribute('data-error-title');
      summary.setAttribute('aria-labelledby', title.id);
      var list = document.createElement('ul');
      problems.forEach(function (field) {
        var text = message(field);
        var item = document.createElement('li');
        var link = document.createElement('a');
        link.href = '#' + field.id;
        link.textContent = text;
        link.addEventListener('click', function (e) {
          e.preventDefault();
          field.focus();
          field.scrollIntoView({ block: 'center' });
        });
        item.appendChild(link);
        list.appendChild(item);
        var error = document.createElement('p');
        error.className = 'field-error';
        error.id = field.id + '-error';
        var prefix = document.createElement('span');
        prefix.className = 'visually-hidden';
        prefix.textContent = form.getAttribute('data-error-prefix') + ' ';
        error.appendChild(prefix);
        error.appendChild(document.createTextNode(text));
        var box = field.closest('.field');
        if (box) box.classList.add('field-invalid');
        var before = field.type === 'checkbox' ? field.closest('.checkbox') || field : field;
        before.parentNode.insertBefore(error, before);
        field.setAttribute('aria-invalid', 'true');
        field.setAttribute('aria-describedby', error.id);
      });
      summary.appendChild(title);
      summary.appendChild(list);
      form.insertBefore(summary, form.firstChild);
      summary.focus();
    });
  });
})();
