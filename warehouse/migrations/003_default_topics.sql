-- The default taxonomy of CONTRACT.md section 4. Analysts may add rows; these ids must exist.

INSERT INTO topics (topic_id, label, parent) VALUES
    ('trade_economy',        'Trade and economy',               NULL),
    ('investment_finance',   'Investment and finance',          NULL),
    ('energy_water',         'Energy and water',                NULL),
    ('transport_logistics',  'Transport and logistics',         NULL),
    ('security_defense',     'Security and defence',            NULL),
    ('counter_terrorism',    'Counter-terrorism',               'security_defense'),
    ('crime_drugs',          'Crime, drugs and corruption',     'security_defense'),
    ('multilateral',         'Multilateral affairs',            NULL),
    ('education_youth',      'Education and youth',             NULL),
    ('culture_humanitarian', 'Culture and humanitarian ties',   NULL),
    ('health',               'Health',                          NULL),
    ('agriculture_food',     'Agriculture and food',            NULL),
    ('migration_labour',     'Migration and labour',            NULL),
    ('borders_territory',    'Borders and territory',           NULL),
    ('environment_climate',  'Environment and climate',         NULL),
    ('digital_technology',   'Digital technology and science',  NULL)
ON CONFLICT DO NOTHING;
