"""Document services, one module per area: ``incoming``, ``outgoing``, ``digitization``,
``registers``, ``filing``, ``edxml``. Every write of the documents domain lives in one of them."""
