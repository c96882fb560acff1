"""Documents written for the tests, each with a known ground truth about co-production.

Each is a list of (kind, text) blocks, rendered into a real file by the tests (DOCX, HTML, PDF,
plain text, Markdown) so that the whole pipeline, from reading to profile, is exercised.
"""

GENUINE_STRATEGY = [
    ("heading", "Lowmoor Mental Health Partnership: Co-production Strategy 2025-2028"),
    ("heading", "1. How this strategy was made"),
    ("para", "This strategy was written by a working group of eight people with lived experience and four "
             "members of staff, co-chaired by a peer researcher and the Director of Nursing."),
    ("para", "The working group held the drafting budget of £14,000 and decided by majority vote which "
             "priorities went into the final version."),
    ("para", "The Board of Directors agreed to adopt the strategy unchanged, as the group had asked."),
    ("heading", "2. Power we now share"),
    ("para", "Four experts by experience sit on the Quality Committee with full voting rights, and one of "
             "them co-chairs it."),
    ("para", "People who use our services sit on every interview panel for consultant and ward manager posts."),
    ("para", "The Lived Experience Council sets its own agenda and controls a devolved budget of £60,000 a year."),
    ("para", "Last year the Council funded eleven user-led groups, chosen by a panel of members rather than by staff."),
    ("heading", "3. Delivering and evaluating together"),
    ("para", "Twenty-two peer support workers are employed in our community teams and on each acute ward."),
    ("para", "The Recovery College runs 40 courses, each designed and taught by a peer trainer and a clinician together."),
    ("para", "Service users co-evaluate every pilot, and their evaluation report goes to the Board alongside the "
             "clinical one."),
    ("heading", "4. Support and reward"),
    ("para", "Everyone who takes part is paid £22 an hour for their time, and travel and childcare costs are "
             "reimbursed on the day."),
    ("para", "Members receive training in chairing, recruitment and evaluation, and can join a peer mentoring scheme."),
    ("para", "Every person who uses our services agrees their own care plan and holds a copy; a personal "
             "budget is offered to everyone eligible, and they decide how it is spent."),
    ("heading", "5. Our commitment"),
    ("para", "We believe people who use services are experts in their own lives."),
    ("para", "Co-production is how we work at every level of the organisation."),
]

RHETORIC_CHARTER = [
    ("heading", "Our Co-production Charter"),
    ("para", "Co-production is at the heart of everything we do at Eastgate Health."),
    ("para", "We are passionate about putting patients and carers in the driving seat."),
    ("para", "We are committed to equal partnership with the communities we serve."),
    ("para", "We believe that people who use our services should be equal partners in designing and "
             "delivering them."),
    ("para", "We will always co-produce our services with patients, carers and local people."),
    ("para", "Co-production is embedded in our culture and in our DNA."),
    ("heading", "How we put the charter into practice"),
    ("para", "Every year we send a satisfaction survey to 2,000 patients."),
    ("para", "We publish a quarterly newsletter that tells patients about changes to our services."),
    ("para", "Patients can comment on our plans through an online form on our website."),
    ("para", "We ran a questionnaire about car parking in the spring and 340 people replied."),
    ("para", "Our leaflets explain how to use our services and are available in six languages."),
    ("para", "The Friends and Family Test is offered to every patient on discharge."),
    ("para", "We will continue to share the results of our surveys in the newsletter."),
]

FINANCE_PAPER = [
    ("heading", "Finance Report: Month 9 2024/25"),
    ("heading", "1. Summary"),
    ("para", "At month 9 the Trust reports a deficit of £4.2m against a planned deficit of £3.1m."),
    ("para", "The adverse variance is driven by agency staffing costs and unachieved efficiency savings."),
    ("para", "Agency spend was £1.9m in the quarter, 14% above the agency cap set by NHS England."),
    ("heading", "2. Capital programme"),
    ("para", "Capital expenditure to date is £11.3m against a full-year plan of £18.0m."),
    ("para", "The replacement of the theatre ventilation system is now expected to complete in March."),
    ("para", "The Director of Finance reported that the cash balance remains above the minimum required."),
    ("heading", "3. Efficiency programme"),
    ("para", "Of the £9.5m efficiency target, £6.2m has been delivered, with £1.4m rated red."),
    ("para", "Procurement savings from the regional contract for medical consumables total £0.8m."),
    ("heading", "4. Recommendation"),
    ("para", "The Board is asked to note the financial position and approve the revised forecast."),
]

PLAIN_WORDS_POWER = [
    ("heading", "Millbrook Tenants' Association: Annual Report 2024"),
    ("para", "Millbrook's tenants run the estate's repairs service themselves through the association."),
    ("para", "The twelve tenants on the management committee are elected each year by everyone who lives on the estate."),
    ("para", "The committee chose the repairs contractor last spring, and it can end the contract if the work "
             "is poor."),
    ("para", "Tenants decide how the £120,000 maintenance budget is spent, and the council signs the "
             "cheques they ask for."),
    ("para", "Any tenant can bring a proposal to the monthly open meeting, and the meeting votes on it."),
    ("para", "This year the open meeting voted to spend £8,000 on new play equipment and £5,000 on door entry "
             "systems."),
    ("para", "Two tenants inspect every completed repair before the contractor is paid."),
    ("para", "Older tenants who can no longer manage stairs are visited by neighbours from the welfare rota."),
    ("para", "New committee members spend six weeks shadowing an experienced member before they take a vote."),
    ("para", "The association's accounts were audited in June and showed a surplus of £3,400."),
]

BUZZWORD_SURVEY = [
    ("heading", "Co-producing our Urgent Care Plan"),
    ("para", "This plan has been co-produced with local people."),
    ("para", "We co-produced it by running an online survey in January, which 612 residents completed."),
    ("para", "The co-production phase also included two drop-in sessions where people could give their views."),
    ("para", "Our co-design events were presentations of the draft plan followed by questions from the audience."),
    ("para", "All feedback was analysed by the programme team, who then decided which changes to make."),
    ("para", "The final plan was approved by the Executive Committee in March."),
    ("para", "We will publish a summary of what people told us on our website."),
]

FINANCE_PAGE = [
    ("heading", "Appendix C: Detailed financial tables"),
    ("para", "Pay costs for the year to date are £212.4m, £3.1m above plan."),
    ("para", "Non-pay costs are £61.8m, in line with the plan after the release of contingencies."),
    ("para", "Income from NHS commissioners is £268.0m, including £2.4m of elective recovery funding."),
    ("para", "Depreciation charges have increased following the revaluation of the estate in March."),
    ("para", "The better payment practice code was met for 94% of invoices by value."),
    ("para", "The Audit Committee reviewed the treatment of the PFI liability in December."),
]
