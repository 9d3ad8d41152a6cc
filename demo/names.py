"""Given names and family names for demo staff.

A few hundred of each, drawn from the mix of people who work across the UK civil
service, so that 50,000 demo people look varied and a people search finds
realistic spellings, accents and hyphens.
"""

FIRST_NAMES = """
Aaliyah Abdi Abena Adaeze Adam Ade Adil Agnieszka Ahmed Aiko Ailsa Aisha Akosua Alan
Alasdair Albert Alex Alexander Ali Alice Alison Alessandro Amanda Amal Amelia Amina
Amit Ana Andre Andreea Andrei Andrew Angharad Angus Anika Anil Anjali Anna Anneke
Anthony Antoine Aoife Archie Arjun Arlo Arthur Asif Astrid Ava Ayesha Babatunde
Bethan Bilal Blessing Bogdan Callum Camille Carlos Carmen Catrin Catriona Cerys
Charlie Charlotte Chiara Chidi Chinedu Chioma Chloe Christopher Cian Ciara Ciarán
Claire Colin Conor Darius Darragh Dafydd Daisy Daniel David Declan Deepa Deepak
Delroy Dev Diego Divya Dylan Edward Efua Eilidh Eleanor Elena Eliza Elijah Elliot
Ella Elsie Emeka Emilia Emily Emma Emyr Esme Ethan Euan Evelyn Evie Ewa Faduma
Faisal Fatima Femi Ffion Fiona Florence Folake Francesca Frankie Fraser Freddie
Freya Funmi Gareth Gemma George Gethin Gillian Giorgos Giovanni Giulia Grace Graham
Gráinne Gurpreet Hamish Hamza Hannah Hao Harleen Harper Harpreet Harrison Harry
Hassan Helen Henry Hina Hiroshi Hodan Hugo Huw Iain Ibrahim Imani Imogen Imran Ingrid
Inês Ioana Iona Isaac Isabella Isla Ivy Iwan Jack Jakub Jamie Jaspreet Javier
Jennifer Jermaine Jessica Jin Joanna Joanne João John Jonathan Jordan Joseph Joshua
Jude Julie Jun Karen Katarzyna Katherine Kavita Kayode Keisha Keith Kenji Kevin
Kieran Kiran Kirsty Kit Kofi Krzysztof Kwabena Kwame Laura Lauren Layla Leela Leo
Leroy Li Lily Linh Lisa Łukasz Luca Lucía Lucy Magdalena Malachi Manpreet Marco
Marek Maria Marie Mark Marta Martin Mateusz Matilda Matteo Matthew Max Maya Meera
Mei Mhairi Michael Michelle Miguel Mihai Mikkel Millie Ming Minh Mohammed Monika
Morag Morgan Nadia Nadeem Natalie Nathaniel Navdeep Neha Neil Ngozi Nia Niall Niamh
Nicholas Nicola Nigel Nikhil Noah Noor Obinna Oisín Olivia Oliver Oluwaseun Omar
Orla Oscar Owain Padraig Parveen Paul Pedro Peter Philip Phoebe Pierre Piotr Pooja
Poppy Pranav Precious Priya Rachel Rahul Rajesh Rani Rebecca Reuben Rhiannon Rhys
Richard Riley Rizwan Robert Robin Rohan Róisín Rory Rosie Ruby Rukhsana Rupert
Sajid Sam Samantha Samina Samuel Sana Sanjay Sara Sarah Saoirse Sebastian Segun
Seán Seren Shabana Shahid Shanice Shreya Simon Simran Sinéad Siobhán Sofia Sophie
Stanley Stephen Stuart Sukhdev Sunita Susan Sven Tanisha Tariq Theo Thomas Thuy
Timothy Tobi Toby Tomasz Trevor Tuan Tunde Victoria Vikram Wei William Willow Xin
Yan Yaw Yetunde Yuki Yusuf Zain Zainab Zara Zoë
""".split()

LAST_NAMES = """
Abdi Adams Adebayo Adeyemi Ahmed Akhtar Ali Allen Andersen Anderson Andrews Appiah
Armstrong Asante Atkinson Bailey Bains Baker Ball Barker Barnes Barrett Bates Begum
Bell Bennett Berry Bianchi Bird Bishop Boateng Booth Bowen Bradley Brennan Brooks
Brown Buchanan Burgess Burns Burton Butler Butt Byrne Cameron Campbell Carr Carter
Chambers Chan Chapman Chauhan Chen Chowdhury Clark Clarke Cole Coleman Collins Cook
Cooke Cooper Costa Cox Cross Curtis Davidson Davies Davis Dawson Day Dean Desai
Dhillon Dixon Doherty Donnelly Doyle Dubois Dunn Edwards Elliott Ellis Evans Eze
Farah Ferguson Fernandes Fisher Fitzgerald Fletcher Ford Foster Fox Francis Fraser
Freeman Gallagher Garcia Gardner George Georgiou Gibson Gill Gordon Graham Grant
Gray Green Gregory Grewal Griffin Griffiths Gupta Hall Hamilton Harding Hardy
Harper Harris Harrison Hart Harvey Hawkins Hayes Henderson Hill Hodgson Holland
Holmes Hopkins Howard Howells Hudson Hughes Hunt Hunter Hussain Hutchinson Ionescu
Iqbal Islam Jackson James Jansen Jenkins Johnson Johnston Jones Jordan Joshi Kaur
Kavanagh Kearney Kelly Kennedy Khan Kim King Knight Kowalczyk Kowalski Kumar Lam
Lane Lawrence Lee Lewandowski Lewis Li Liu Llewellyn Lloyd Lloyd-Williams Long Lowe
MacDonald Macintyre Mackay MacKenzie MacLeod Maguire Mahmood Malik Marsh Marshall
Martin Martínez Mason Matthews McCarthy McDonald Mehta Mensah Miah Miller Mills
Mistry Mitchell Mohamud Moore Morgan Morris Moss Müller Munro Murphy Murray Newman
Newton Nguyen Nicholls Nicholson Nolan Nowak Nwosu O'Brien O'Connor O'Neill Obi
Okafor Okonkwo Oliver Osborne Osei Owen Owusu Page Palmer Papadopoulos Park Parker
Parmar Parry Parsons Patel Paterson Payne Pearce Pearson Pereira Perry Phillips
Popescu Porter Potter Powell Price Pritchard Prosser Quinn Qureshi Rahman Reed Rees
Reid Reynolds Richards Richardson Riley Roberts Robertson Robinson Robson Rodríguez
Rogers Rose Ross Rossi Russell Russo Ryan Sandhu Santos Saunders Schmidt Scott
Shah Sharma Sharp Shaw Shepherd Sidhu Silva Simpson Sinclair Singh Smith Spencer
Stevens Stewart Stone Sutherland Sutton Tanaka Taylor Taylor-Smith Thomas Thompson
Tran Turner Uddin Vaughan Walker Wallace Walsh Walton Wang Ward Warren Warsame
Watkins Watson Watts Webb Webster Wells West Wheeler White Wilkinson Williams
Williamson Wilson Wiśniewski Wong Wood Woods Wright Yates Young Zhang
""".split()

# The short forms some people go by; only some of them use it on their profile.
PREFERRED_NAMES = {
    "Alexander": ("Alex", "Sandy"),
    "Andrew": ("Andy", "Drew"),
    "Anthony": ("Tony", "Ant"),
    "Babatunde": ("Tunde",),
    "Catriona": ("Cat",),
    "Christopher": ("Chris", "Kit"),
    "Daniel": ("Dan", "Danny"),
    "Edward": ("Ed", "Ted", "Eddie"),
    "Eleanor": ("Ellie", "Nell"),
    "Elijah": ("Eli",),
    "Francesca": ("Fran", "Frankie"),
    "Gillian": ("Gill",),
    "Isabella": ("Izzy", "Bella"),
    "Jennifer": ("Jen", "Jenny"),
    "Jonathan": ("Jon", "Jonny"),
    "Joseph": ("Joe",),
    "Katarzyna": ("Kasia",),
    "Katherine": ("Kate", "Katie", "Kath"),
    "Magdalena": ("Magda",),
    "Matthew": ("Matt",),
    "Michael": ("Mike", "Mick"),
    "Nathaniel": ("Nat", "Nathan"),
    "Nicholas": ("Nick", "Nico"),
    "Oluwaseun": ("Seun",),
    "Rebecca": ("Becky", "Becca"),
    "Richard": ("Rich", "Richie"),
    "Robert": ("Rob", "Bob", "Robbie"),
    "Samantha": ("Sam",),
    "Samuel": ("Sam",),
    "Sebastian": ("Seb",),
    "Stephen": ("Steve",),
    "Thomas": ("Tom", "Tommy"),
    "Timothy": ("Tim",),
    "Victoria": ("Vicky", "Tori"),
    "William": ("Will", "Bill"),
}
